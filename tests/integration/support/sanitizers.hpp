#pragma once
// Whether this build runs under AddressSanitizer (the asan preset, DTU_SANITIZE): the child dtu-sim
// processes a test starts are from the same build, so they run under it too.
namespace dtu::test {

#if defined(__SANITIZE_ADDRESS__) // GCC
inline constexpr bool kUnderAsan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) // Clang
inline constexpr bool kUnderAsan = true;
#else
inline constexpr bool kUnderAsan = false;
#endif
#else
inline constexpr bool kUnderAsan = false;
#endif

} // namespace dtu::test
