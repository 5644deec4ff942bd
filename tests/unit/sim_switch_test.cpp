// AT+SIMSWITCH on the fake HAL with a hand-stepped clock (G771 §2.6.1 table 7; spec device-info §6,
// GAP-37): lock external / internal, external first (30 s), dual backup (5 min, switch and
// restart, loop). The module keeps its card across restarts, as the simulator's modem does.
#include "dut.hpp"

using namespace dtu::test;
using dtu::hal::NetError;
using dtu::hal::ResetCause;
using dtu::hal::SimSlot;

namespace {

constexpr std::uint64_t kDetectMs = 30'000;  // mode 1: no external card -> internal
constexpr std::uint64_t kOnlineMs = 300'000; // mode 2: not online -> switch
constexpr std::uint64_t kLongMs = 1'200'000; // 20 min: less than the factory AT+RSTIM (30 min)
constexpr SimSlot EXT = SimSlot::External, INT = SimSlot::Internal;

/// The network's side: whether each card gets online; the data link follows the active card (and
/// is down when its slot is empty). Call apply() after changing the modem by hand.
struct Cards {
    explicit Cards(Dut& d) : dut(d) {
        dut.bench.modem.on_select = [this](SimSlot) { apply(); };
        apply();
    }
    void set(SimSlot slot, bool is_online) {
        online[static_cast<int>(slot)] = is_online;
        apply();
    }
    void apply() {
        const int active = static_cast<int>(dut.bench.modem.active);
        dut.bench.net.attach = dut.bench.modem.present[active] && online[active];
    }

    Dut& dut;
    bool online[2] = {true, true};
};

FakeModem& modem(Dut& dut) { return dut.bench.modem; }
std::vector<ResetCause>& resets(Dut& dut) { return dut.bench.system.resets; }

/// AT+SIMSWITCH=<mode>, AT+S; the device restarts (at the clock's current time) with that mode.
void set_mode(Dut& dut, const std::string& mode) {
    dut.enter_command();
    ASSERT_EQ(dut.cmd("AT+SIMSWITCH=" + mode), ok());
    ASSERT_EQ(dut.cmd("AT+S"), ok());
    dut.reboot();
    modem(dut).selects.clear();
}

/// Power the board on again with the saved parameters (the module keeps its card), output cleared.
void boot(Dut& dut) {
    dut.bench.power_on();
    dut.out();
}

bool has_log(Dut& dut, std::string_view text) {
    for (const auto& [level, line] : dut.bench.log.lines)
        if (line.find(text) != std::string::npos) return true;
    return false;
}

const std::string kToInt = "\r\nSIM switch to INT\r\n";
const std::string kToExt = "\r\nSIM switch to EXT\r\n";
const std::string kStart = "\r\nUSR-G771 V1.3.25\r\n";

} // namespace

TEST(SimSwitch, FactoryModeIsExternalFirst) {
    Dut dut;
    dut.enter_command();
    EXPECT_EQ(dut.cmd("AT+SIMSWITCH?"), answer("SIMSWITCH", "1"));
}

TEST(SimSwitch, LockExternalSelectsItAndNeverSwitches) {
    Dut dut;
    Cards cards(dut);
    set_mode(dut, "0,0");
    modem(dut).active = INT; // whatever the module used before
    modem(dut).present[0] = false;
    cards.apply();
    boot(dut);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{EXT}) << "locked: no detection, no fallback";
    dut.advance(kLongMs);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{EXT});
    EXPECT_TRUE(resets(dut).empty());
    EXPECT_EQ(dut.out(), "");
}

TEST(SimSwitch, LockInternalSelectsItAndNeverSwitches) {
    Dut dut;
    Cards cards(dut);
    cards.set(INT, false);
    set_mode(dut, "0,1");
    EXPECT_EQ(modem(dut).active, INT);
    modem(dut).selects.clear();
    dut.advance(kLongMs);
    EXPECT_TRUE(modem(dut).selects.empty()) << "an internal card that never gets online stays locked";
    EXPECT_TRUE(resets(dut).empty());
    EXPECT_EQ(dut.out(), "");
}

TEST(SimSwitch, ExternalFirstUsesAPresentExternalCardEvenIfItNeverGetsOnline) {
    Dut dut;
    Cards cards(dut);
    cards.set(EXT, false);
    modem(dut).active = INT; // e.g. left there by a dual-backup run
    boot(dut);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{EXT}) << "at start-up, at once";
    dut.advance(kLongMs);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{EXT});
    EXPECT_FALSE(dut.bench.net.attached());
    EXPECT_TRUE(resets(dut).empty());
    EXPECT_EQ(dut.out(), "");
}

TEST(SimSwitch, ExternalFirstWithoutExternalCardUsesTheInternalOneAfter30s) {
    Dut dut;
    Cards cards(dut);
    modem(dut).present[0] = false;
    cards.apply();
    boot(dut);
    dut.advance(kDetectMs - 1);
    EXPECT_TRUE(modem(dut).selects.empty());
    EXPECT_FALSE(dut.bench.net.attached());
    dut.advance(1);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{INT});
    EXPECT_TRUE(dut.bench.net.attached());
    EXPECT_TRUE(resets(dut).empty()) << "mode 1 switches without a restart";
    EXPECT_EQ(dut.out(), "");
    // After a restart the module is still on the internal card: nothing to wait for.
    boot(dut);
    dut.advance(kLongMs);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{INT});
}

TEST(SimSwitch, DualBackupWithoutExternalCardSwitchesToInternalAtOnceAndRestarts) {
    Dut dut;
    Cards cards(dut);
    modem(dut).present[0] = false;
    cards.apply();
    set_mode(dut, "2");
    dut.advance(0);
    EXPECT_EQ(dut.out(), kToInt);
    EXPECT_EQ(modem(dut).active, INT);
    ASSERT_EQ(resets(dut), std::vector<ResetCause>{ResetCause::SimSwitch});
    EXPECT_TRUE(has_log(dut, "switching to the INT card"));
    EXPECT_EQ(dut.reboot(), kStart);
    dut.advance(kLongMs);
    EXPECT_TRUE(resets(dut).empty()) << "the internal card is online";
    EXPECT_EQ(modem(dut).active, INT);
    EXPECT_EQ(dut.out(), "");
}

TEST(SimSwitch, DualBackupExternalNotOnlineWithin5MinSwitchesToInternal) {
    Dut dut;
    Cards cards(dut);
    cards.set(EXT, false);
    set_mode(dut, "2");
    dut.advance(kOnlineMs - 1);
    EXPECT_TRUE(resets(dut).empty());
    EXPECT_EQ(dut.out(), "");
    dut.advance(1);
    EXPECT_EQ(dut.out(), kToInt);
    EXPECT_EQ(modem(dut).selects, std::vector<SimSlot>{INT});
    EXPECT_EQ(resets(dut), std::vector<ResetCause>{ResetCause::SimSwitch});
}

TEST(SimSwitch, DualBackupOnlineExternalCardStaysUntilItLosesServiceFor5Min) {
    Dut dut;
    Cards cards(dut);
    set_mode(dut, "2");
    dut.advance(kLongMs);
    EXPECT_TRUE(resets(dut).empty());
    cards.set(EXT, false); // out of credit, say
    dut.advance(kOnlineMs - 1000);
    EXPECT_TRUE(resets(dut).empty()) << "offline for less than 5 minutes";
    dut.advance(2000);
    EXPECT_EQ(dut.out(), kToInt);
    EXPECT_EQ(resets(dut), std::vector<ResetCause>{ResetCause::SimSwitch});
}

TEST(SimSwitch, DualBackupAShortOnlineSpellStartsThe5MinutesAgain) {
    Dut dut;
    Cards cards(dut);
    cards.set(EXT, false);
    set_mode(dut, "2");
    dut.advance(240'000);
    cards.set(EXT, true);
    dut.advance(10'000);
    cards.set(EXT, false);
    dut.advance(240'000);
    EXPECT_TRUE(resets(dut).empty());
    dut.advance(61'000);
    EXPECT_EQ(resets(dut), std::vector<ResetCause>{ResetCause::SimSwitch});
}

TEST(SimSwitch, DualBackupLoopsBetweenTwoCardsThatNeverGetOnline) {
    Dut dut;
    Cards cards(dut);
    cards.set(EXT, false);
    cards.set(INT, false);
    set_mode(dut, "2");
    const std::vector<std::pair<SimSlot, std::string>> expected{
        {INT, kToInt}, {EXT, kToExt}, {INT, kToInt}, {EXT, kToExt}};
    for (const auto& [to, message] : expected) {
        dut.advance(kOnlineMs - 1);
        EXPECT_TRUE(resets(dut).empty());
        dut.advance(1);
        EXPECT_EQ(dut.out(), message);
        EXPECT_EQ(modem(dut).active, to);
        ASSERT_EQ(resets(dut), std::vector<ResetCause>{ResetCause::SimSwitch});
        EXPECT_EQ(dut.reboot(), kStart);
    }
}

TEST(SimSwitch, DualBackupOnInternalWithoutExternalCardKeepsWaitingAndChecksAgain) {
    Dut dut;
    Cards cards(dut);
    cards.set(INT, false);
    modem(dut).present[0] = false;
    cards.apply();
    set_mode(dut, "2");
    dut.advance(0);
    EXPECT_EQ(dut.out(), kToInt);
    dut.reboot();
    dut.advance(2 * kOnlineMs);
    EXPECT_TRUE(resets(dut).empty()) << "no external card to go back to";
    EXPECT_EQ(dut.out(), "");
    EXPECT_TRUE(has_log(dut, "no external card, staying on the INT card"));
    modem(dut).present[0] = true; // someone inserts a card
    dut.advance(kOnlineMs);
    EXPECT_EQ(dut.out(), kToExt);
    EXPECT_EQ(modem(dut).active, EXT);
    EXPECT_EQ(resets(dut), std::vector<ResetCause>{ResetCause::SimSwitch});
}

TEST(SimSwitch, PowerCycleInDualBackupStartsOnTheExternalCardAgain) {
    Dut dut;
    Cards cards(dut);
    cards.set(EXT, false);
    set_mode(dut, "2");
    dut.advance(kOnlineMs);
    dut.reboot();
    EXPECT_EQ(modem(dut).active, INT);
    modem(dut).active = EXT; // the host's power-on: the module starts on the external card
    cards.apply();
    boot(dut);
    dut.advance(kOnlineMs - 1);
    EXPECT_TRUE(resets(dut).empty()) << "a fresh 5 minutes for the external card";
    dut.advance(1);
    EXPECT_EQ(dut.out(), kToInt);
}

// The data link side of SIM switching (NET mode sockets).

TEST(SimSwitchNet, NoRegistrationDoesNotCountTowardsTheSocketRestart) {
    Dut dut;
    dut.enter_command();
    ASSERT_EQ(dut.cmd("AT+SOCKRSTIM=1"), ok());
    ASSERT_EQ(dut.cmd("AT+SOCKRSNUM=2"), ok());
    ASSERT_EQ(dut.cmd("AT+S"), ok());
    dut.bench.net.attach = false;
    dut.reboot();
    dut.bench.net.refuse(0, NetError::NotAttached);
    dut.advance(kOnlineMs);
    EXPECT_EQ(dut.bench.net.links[0].opens, 1) << "waits for the network instead of retrying";
    EXPECT_TRUE(resets(dut).empty()) << "SOCKRSNUM counts connection attempts, not missing service";
    dut.bench.net.attach = true;
    dut.bench.net.listener->on_attach_changed(true);
    dut.advance(1000);
    EXPECT_EQ(dut.bench.net.links[0].opens, 2);
}

TEST(SimSwitchNet, RegistrationPacketCarriesTheIccidOfTheCardInUse) {
    Dut dut;
    dut.enter_command();
    for (const char* c : {"AT+REGEN=ON", "AT+REGTP=ICCID", "AT+REGSND=LINK", "AT+SOCKRSTIM=1"})
        ASSERT_EQ(dut.cmd(c), ok()) << c;
    ASSERT_EQ(dut.cmd("AT+S"), ok());
    dut.bench.net.attach = false; // mode 1 without external card: no service until the switch
    dut.reboot();
    dut.bench.net.refuse(0, NetError::NotAttached);
    modem(dut).id.iccid = "89860320000000000002"; // the internal card is selected
    dut.bench.net.attach = true;
    dut.bench.net.listener->on_attach_changed(true);
    dut.advance(1000);
    dut.bench.net.accept(0);
    EXPECT_EQ(dut.bench.net.stream(0), "89860320000000000002");
}
