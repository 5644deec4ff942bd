# Toolchain file: firmware_core + board stub for an STM32F4-class Cortex-M4 (hard float, FPv4-SP).
# Used by the `cortex-m4` preset. Compilers come from Debian's gcc-arm-none-eabi and
# libstdc++-arm-none-eabi-newlib; the flags select newlib's thumb/v7e-m+fp/hard multilib.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)

set(DTU_ARM_PREFIX arm-none-eabi- CACHE STRING "Prefix of the bare-metal ARM GNU tools")
find_program(CMAKE_C_COMPILER ${DTU_ARM_PREFIX}gcc REQUIRED)
find_program(CMAKE_CXX_COMPILER ${DTU_ARM_PREFIX}g++ REQUIRED)
find_program(CMAKE_ASM_COMPILER ${DTU_ARM_PREFIX}gcc REQUIRED)
find_program(CMAKE_OBJCOPY ${DTU_ARM_PREFIX}objcopy REQUIRED)
find_program(CMAKE_SIZE ${DTU_ARM_PREFIX}size REQUIRED)

# No hosted runtime to run test programs against: probe the compiler with a static library.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(DTU_ARM_CPU_FLAGS "-mcpu=cortex-m4 -mthumb -mfloat-abi=hard -mfpu=fpv4-sp-d16")
# The board has no exception or RTTI support; firmware_core must build without both.
set(DTU_ARM_COMMON_FLAGS "${DTU_ARM_CPU_FLAGS} -Os -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${DTU_ARM_COMMON_FLAGS}")
set(CMAKE_CXX_FLAGS_INIT "${DTU_ARM_COMMON_FLAGS} -fno-exceptions -fno-rtti -fno-threadsafe-statics")
set(CMAKE_ASM_FLAGS_INIT "${DTU_ARM_CPU_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "--specs=nano.specs --specs=nosys.specs -Wl,--gc-sections")

# Never pick up host libraries or headers.
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
