// Cortex-M4 start-up for the board stub: vector table, Reset_Handler, SysTick, heap for newlib.
// The only file of the board stub that touches registers.
#include <cstddef>
#include <cstdint>
#include <utility>

#include "board_hal.hpp"

// Symbols from stm32f4.ld.
extern "C" {
extern std::uint32_t _sidata[]; // .data load address in flash
extern std::uint32_t _sdata[];
extern std::uint32_t _edata[];
extern std::uint32_t _sbss[];
extern std::uint32_t _ebss[];
extern char _estack[]; // initial stack pointer (top of RAM)
extern char _heap_start[];
extern char _heap_end[]; // heap stops where the reserved stack begins

int main();
void __libc_init_array();

void Reset_Handler();
void Default_Handler();
void SysTick_Handler();
void NMI_Handler() __attribute__((weak, alias("Default_Handler")));
void HardFault_Handler() __attribute__((weak, alias("Default_Handler")));
void MemManage_Handler() __attribute__((weak, alias("Default_Handler")));
void BusFault_Handler() __attribute__((weak, alias("Default_Handler")));
void UsageFault_Handler() __attribute__((weak, alias("Default_Handler")));
void SVC_Handler() __attribute__((weak, alias("Default_Handler")));
void DebugMon_Handler() __attribute__((weak, alias("Default_Handler")));
void PendSV_Handler() __attribute__((weak, alias("Default_Handler")));
}

namespace {

template <typename T> volatile T& reg(std::uintptr_t addr) { return *reinterpret_cast<volatile T*>(addr); }

constexpr std::uintptr_t kSysTickCsr = 0xE000E010;
constexpr std::uintptr_t kSysTickRvr = 0xE000E014;
constexpr std::uintptr_t kSysTickCvr = 0xE000E018;
constexpr std::uintptr_t kScbCpacr = 0xE000ED88;
constexpr std::uint32_t kCoreClockHz = 16'000'000; // STM32F4 out of reset: 16 MHz HSI
// USART1 on PA9 (AF7), 115200 8N1: the serial port of the DTU.
constexpr std::uintptr_t kRccAhb1Enr = 0x40023830;
constexpr std::uintptr_t kRccApb2Enr = 0x40023844;
constexpr std::uintptr_t kGpioAModer = 0x40020000;
constexpr std::uintptr_t kGpioAAfrh = 0x40020024;
constexpr std::uintptr_t kUsart1Sr = 0x40011000;
constexpr std::uintptr_t kUsart1Dr = 0x40011004;
constexpr std::uintptr_t kUsart1Brr = 0x40011008;
constexpr std::uintptr_t kUsart1Cr1 = 0x4001100C;
constexpr std::uint32_t kUsartSrTxe = 1u << 7;

volatile std::uint32_t g_ticks = 0;

using Handler = void (*)();
constexpr std::size_t kStm32F4Irqs = 82;

struct VectorTable {
    const void* initial_sp;
    Handler system[15];
    Handler irq[kStm32F4Irqs];
};

template <std::size_t... I> constexpr VectorTable make_table(std::index_sequence<I...>) {
    return VectorTable{
        _estack,
        {Reset_Handler, NMI_Handler, HardFault_Handler, MemManage_Handler, BusFault_Handler,
         UsageFault_Handler, nullptr, nullptr, nullptr, nullptr, SVC_Handler, DebugMon_Handler, nullptr,
         PendSV_Handler, SysTick_Handler},
        {((void)I, Default_Handler)...},
    };
}

} // namespace

extern "C" __attribute__((section(".isr_vector"), used)) const VectorTable g_vectors =
    make_table(std::make_index_sequence<kStm32F4Irqs>{});

extern "C" void Default_Handler() {
    for (;;) {
    }
}

extern "C" void SysTick_Handler() { g_ticks = g_ticks + 1; }

extern "C" __attribute__((noreturn)) void Reset_Handler() {
    // Enable the FPU (CP10/CP11 full access) before any code that may use it: -mfloat-abi=hard.
    reg<std::uint32_t>(kScbCpacr) = reg<std::uint32_t>(kScbCpacr) | (0xFu << 20);
    __asm volatile("dsb\n\tisb" ::: "memory");

    for (std::uint32_t *src = _sidata, *dst = _sdata; dst < _edata;)
        *dst++ = *src++;
    for (std::uint32_t* dst = _sbss; dst < _ebss;)
        *dst++ = 0;

    __libc_init_array(); // static constructors
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic" // calling main is what start-up code is for
    main();
#pragma GCC diagnostic pop
    for (;;) {
    }
}

// newlib's malloc grows the heap through _sbrk; bound it by the linker script's heap region.
extern "C" void* _sbrk(std::ptrdiff_t increment) {
    static char* brk = _heap_start;
    if (increment > _heap_end - brk || increment < _heap_start - brk) return reinterpret_cast<void*>(-1);
    char* old = brk;
    brk += increment;
    return old;
}

namespace board::mcu {

std::uint32_t ticks() { return g_ticks; }

void init() {
    reg<std::uint32_t>(kSysTickRvr) = kCoreClockHz / 1000 - 1;
    reg<std::uint32_t>(kSysTickCvr) = 0;
    reg<std::uint32_t>(kSysTickCsr) = 0x7; // processor clock, interrupt, enable

    reg<std::uint32_t>(kRccAhb1Enr) = reg<std::uint32_t>(kRccAhb1Enr) | (1u << 0);                  // GPIOA
    reg<std::uint32_t>(kRccApb2Enr) = reg<std::uint32_t>(kRccApb2Enr) | (1u << 4);                  // USART1
    reg<std::uint32_t>(kGpioAModer) = (reg<std::uint32_t>(kGpioAModer) & ~(3u << 18)) | (2u << 18); // PA9 AF
    reg<std::uint32_t>(kGpioAAfrh) = (reg<std::uint32_t>(kGpioAAfrh) & ~(0xFu << 4)) | (7u << 4);   // AF7
    reg<std::uint32_t>(kUsart1Brr) = (kCoreClockHz + 115200 / 2) / 115200;
    reg<std::uint32_t>(kUsart1Cr1) = (1u << 13) | (1u << 3); // UE, TE
}

void idle() { __asm volatile("wfi" ::: "memory"); }

void uart_tx(std::uint8_t byte) {
    // Polled transmit; bounded so a dead peripheral cannot hang the firmware (one byte at 115200 is
    // ~87 us = ~1400 cycles at 16 MHz).
    for (std::uint32_t spin = 0; spin < 100000 && !(reg<std::uint32_t>(kUsart1Sr) & kUsartSrTxe); ++spin) {
    }
    reg<std::uint32_t>(kUsart1Dr) = byte;
}

} // namespace board::mcu
