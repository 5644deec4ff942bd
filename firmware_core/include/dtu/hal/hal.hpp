#pragma once
// Everything the firmware core needs from the board, in one bundle.
#include "dtu/hal/clock.hpp"
#include "dtu/hal/crypto.hpp"
#include "dtu/hal/log.hpp"
#include "dtu/hal/modem.hpp"
#include "dtu/hal/mqtt.hpp"
#include "dtu/hal/net.hpp"
#include "dtu/hal/sms.hpp"
#include "dtu/hal/storage.hpp"
#include "dtu/hal/system.hpp"
#include "dtu/hal/uart.hpp"
#include "dtu/hal/web.hpp"
#include "dtu/hal/websocket.hpp"

namespace dtu::hal {

/// References to the board's HAL objects; they must outlive the Device that uses them.
struct Hal {
    Uart& uart;
    Clock& clock;
    Storage& storage;
    System& system;
    Modem& modem;
    Net& net;
    Sms& sms;
    Mqtt& mqtt;
    Crypto& crypto;
    Log& log;
    /// The LAN services a board may have (profile LanServices); nullptr: the board has none.
    WebServer* web = nullptr;
    WebSockets* websockets = nullptr;
};

} // namespace dtu::hal
