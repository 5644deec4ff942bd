#!/usr/bin/python3
"""Websocket clients for k7_websocket_test.cpp, driven line by line on stdin (python3-websockets 10.4).

  open NAME URL         -> "open NAME" | "refused NAME <close code>"
  send NAME TEXT        a text message;  sendb NAME HEX: a binary message
  recv NAME             -> "msg NAME <b|t> HEX" | "closed NAME <close code>" | "timeout NAME"
  raw NAME HOST PORT HEX  handshake by hand, then these bytes as they are (a bad frame)
                        -> "rawclosed NAME <close code or -1>" once the server closes
Each answer is one line on stdout.
"""
import asyncio
import base64
import os
import socket
import sys

import websockets

clients = {}


def say(line):
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


async def do_open(name, url):
    try:
        ws = await websockets.connect(url, max_size=None)
    except Exception as e:  # noqa: BLE001 - reported to the test
        say(f"error {name} {e!r}")
        return
    # A refused client is closed at once (1013): wait a moment for that close.
    try:
        msg = await asyncio.wait_for(ws.recv(), 0.5)
        clients[name] = ws
        ws.pending = [msg]
        say(f"open {name}")
    except asyncio.TimeoutError:
        clients[name] = ws
        ws.pending = []
        say(f"open {name}")
    except websockets.ConnectionClosed as e:
        say(f"refused {name} {e.rcvd.code if e.rcvd else -1}")


async def do_recv(name):
    ws = clients[name]
    try:
        msg = ws.pending.pop(0) if ws.pending else await asyncio.wait_for(ws.recv(), 5)
    except asyncio.TimeoutError:
        say(f"timeout {name}")
        return
    except websockets.ConnectionClosed as e:
        say(f"closed {name} {e.rcvd.code if e.rcvd else -1}")
        return
    kind = "t" if isinstance(msg, str) else "b"
    data = msg.encode() if isinstance(msg, str) else msg
    say(f"msg {name} {kind} {data.hex()}")


def do_raw(name, host, port, frame):
    s = socket.create_connection((host, int(port)), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall((f"GET / HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
    head = b""
    while b"\r\n\r\n" not in head:
        head += s.recv(1024)
    rest = head.split(b"\r\n\r\n", 1)[1]
    s.sendall(frame)
    data = rest
    try:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError:
        pass
    s.close()
    code = -1
    if len(data) >= 4 and data[0] == 0x88:
        code = int.from_bytes(data[2:4], "big")
    say(f"rawclosed {name} {code}")


async def main():
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            break
        parts = line.rstrip("\n").split(" ", 2)
        cmd, name = parts[0], parts[1] if len(parts) > 1 else ""
        arg = parts[2] if len(parts) > 2 else ""
        if cmd == "open":
            await do_open(name, arg)
        elif cmd == "send":
            await clients[name].send(arg)
        elif cmd == "sendb":
            await clients[name].send(bytes.fromhex(arg))
        elif cmd == "recv":
            await do_recv(name)
        elif cmd == "raw":
            host, port, frame = arg.split(" ")
            await loop.run_in_executor(None, do_raw, name, host, port, bytes.fromhex(frame))
        say(f"done {cmd}")


asyncio.run(main())
