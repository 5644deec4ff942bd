#!/usr/bin/python3
"""A person at the K7's web page, played by headless Chromium over the DevTools protocol
(python3-websockets 10.4), for k7_web_browser_test.cpp.

  web_browser.py CHROMIUM BASE_URL USER PASSWORD BAUD OUT_DIR

Opens BASE_URL/ and answers the browser's login window (HTTP Basic) with USER/PASSWORD, writes
OUT_DIR/status.png; opens the TTL1 form, types BAUD into "Baud rate", clicks Save, waits for the page
the form leads to and writes OUT_DIR/serial-saved.png. Prints one JSON object on stdout: what the pages
showed ("status_title", "saved_url", "saved_note", "baud_shown", "logins", "screenshots"); "error" when a
step failed. Every wait has a timeout; Chromium is killed at the end.
"""
import asyncio
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

import websockets

STEP_TIMEOUT = 20.0


class Cdp:
    """One DevTools connection; commands to a page session, events queued per method."""

    def __init__(self, ws):
        self.ws = ws
        self.next_id = 0
        self.replies = {}
        self.events = asyncio.Queue()
        self.reader = asyncio.ensure_future(self._read())

    async def _read(self):
        async for raw in self.ws:
            msg = json.loads(raw)
            if "id" in msg:
                fut = self.replies.pop(msg["id"], None)
                if fut and not fut.done():
                    fut.set_result(msg)
            else:
                await self.events.put(msg)

    async def call(self, method, params=None, session=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        fut = asyncio.get_event_loop().create_future()
        self.replies[self.next_id] = fut
        await self.ws.send(json.dumps(msg))
        reply = await asyncio.wait_for(fut, STEP_TIMEOUT)
        if "error" in reply:
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply.get("result", {})


class Page:
    """A tab whose Basic-auth challenges and paused requests are answered as they come."""

    def __init__(self, cdp, session, user, password):
        self.cdp, self.session = cdp, session
        self.user, self.password = user, password
        self.logins = 0
        self.loads = asyncio.Queue()
        self.pump = asyncio.ensure_future(self._events())

    async def _events(self):
        while True:
            ev = await self.cdp.events.get()
            if ev.get("sessionId") != self.session:
                continue
            method, params = ev["method"], ev.get("params", {})
            if method == "Fetch.authRequired":
                # K7 §5.2 diagram 5.2-1: the login window; the person types the user name and password.
                self.logins += 1
                asyncio.ensure_future(self.cdp.call("Fetch.continueWithAuth", {
                    "requestId": params["requestId"],
                    "authChallengeResponse": {"response": "ProvideCredentials",
                                              "username": self.user, "password": self.password}},
                    self.session))
            elif method == "Fetch.requestPaused":
                asyncio.ensure_future(self.cdp.call("Fetch.continueRequest",
                                                    {"requestId": params["requestId"]}, self.session))
            elif method == "Page.loadEventFired":
                await self.loads.put(True)

    async def call(self, method, params=None):
        return await self.cdp.call(method, params, self.session)

    async def loaded(self):
        await asyncio.wait_for(self.loads.get(), STEP_TIMEOUT)

    async def eval(self, expression):
        r = await self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise RuntimeError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    async def screenshot(self, path):
        shot = await self.call("Page.captureScreenshot", {"format": "png"})
        with open(path, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        return path


async def devtools_url(proc):
    """The browser's websocket URL, from the line Chromium prints on stderr."""
    loop = asyncio.get_event_loop()
    deadline = loop.time() + STEP_TIMEOUT
    while loop.time() < deadline:
        line = await asyncio.wait_for(loop.run_in_executor(None, proc.stderr.readline), STEP_TIMEOUT)
        if not line:
            break
        m = re.search(rb"DevTools listening on (ws://\S+)", line)
        if m:
            return m.group(1).decode()
    raise RuntimeError("chromium printed no DevTools URL")


async def run(chromium, base, user, password, baud, out_dir, result):
    profile = tempfile.mkdtemp(prefix="k7-web-chromium-")
    proc = subprocess.Popen([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                             "--window-size=1000,800", "--remote-debugging-port=0",
                             f"--user-data-dir={profile}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        url = await devtools_url(proc)
        async with websockets.connect(url, max_size=None, ping_interval=None) as ws:
            cdp = Cdp(ws)
            target = await cdp.call("Target.createTarget", {"url": "about:blank"})
            attached = await cdp.call("Target.attachToTarget",
                                      {"targetId": target["targetId"], "flatten": True})
            page = Page(cdp, attached["sessionId"], user, password)
            await page.call("Page.enable")
            await page.call("Runtime.enable")
            await page.call("Fetch.enable", {"handleAuthRequests": True, "patterns": [{"urlPattern": "*"}]})

            await page.call("Page.navigate", {"url": base + "/"})
            await page.loaded()
            result["status_title"] = await page.eval("document.querySelector('h1').textContent")
            result["status_text"] = await page.eval("document.body.innerText")
            result["screenshots"] = [await page.screenshot(os.path.join(out_dir, "status.png"))]

            # The person opens TTL1 from the menu, types the baud rate and clicks Save.
            await page.eval("[...document.querySelectorAll('nav a')].find(a => a.textContent == 'TTL1').click()")
            await page.loaded()
            await page.eval("document.getElementById('UART.baud').focus()")
            await page.eval("document.getElementById('UART.baud').select()")
            await page.call("Input.insertText", {"text": baud})
            await page.eval("document.getElementById('save').click()")
            await page.loaded()
            result["saved_url"] = await page.eval("location.pathname + location.search")
            result["saved_note"] = await page.eval(
                "(document.getElementById('saved') || {textContent: ''}).textContent")
            result["baud_shown"] = await page.eval("document.getElementById('UART.baud').value")
            result["screenshots"].append(await page.screenshot(os.path.join(out_dir, "serial-saved.png")))
            result["logins"] = page.logins
            page.pump.cancel()
            cdp.reader.cancel()
    finally:
        proc.kill()
        proc.wait(10)
        shutil.rmtree(profile, ignore_errors=True)


def main():
    chromium, base, user, password, baud, out_dir = sys.argv[1:7]
    os.makedirs(out_dir, exist_ok=True)
    result = {}
    try:
        asyncio.run(asyncio.wait_for(run(chromium, base, user, password, baud, out_dir, result), 90))
    except Exception as e:  # noqa: BLE001 - reported to the test
        result["error"] = repr(e)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
