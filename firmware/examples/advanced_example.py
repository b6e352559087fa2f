# advanced_example.py: two-way control of a board over WebSocket.
#
# Commands (text messages from the server):
#   {"cmd": "led", "state": 1}    switch the LED on LED_PIN (1/0, true/false, "on"/"off")
#   {"cmd": "read_adc"}           read the ADC on ADC_PIN and send {"type": "sensor", "adc": N}
#   {"cmd": "status"}             send {"type": "status", "led", "adc", "uptime_s", "heap_free"}
#   READ_SENSOR                   the plain-text form of read_adc
# Every REPORT_INTERVAL_MS the board also sends {"type": "sensor", "seq": N, "adc": N}; reports made
# while the link is down wait in the outbox and arrive in order after reconnecting.
#
# Upload it as main.py together with websocket_client.py and config.py.
import gc
import json
import time

from machine import ADC, Pin

import websocket_client as wsc

cfg = wsc.load_config()
led = Pin(cfg["LED_PIN"], Pin.OUT)
adc = ADC(Pin(cfg["ADC_PIN"]))
started = time.ticks_ms()
seq = 0
next_report = time.ticks_add(time.ticks_ms(), cfg["REPORT_INTERVAL_MS"])


def reply(obj):
    wsc.client.send_json(obj)


def status():
    gc.collect()
    return {"type": "status", "led": led.value(), "adc": adc.read(),
            "uptime_s": time.ticks_diff(time.ticks_ms(), started) // 1000, "heap_free": gc.mem_free()}


def handle_message(message):
    if message == "READ_SENSOR":
        reply({"type": "sensor", "adc": adc.read()})
        return
    try:
        cmd = json.loads(message)
    except (TypeError, ValueError):
        return  # not a JSON command: nothing to do
    if not isinstance(cmd, dict) or "cmd" not in cmd:
        return  # data, not a command (e.g. our own report echoed back): answering would loop
    action = cmd["cmd"]
    if action == "led":
        led.value(1 if cmd.get("state") in (1, True, "on", "1") else 0)
        print("[app] led", led.value())
        reply({"type": "led", "state": led.value()})
    elif action == "read_adc":
        reply({"type": "sensor", "adc": adc.read()})
    elif action == "status":
        reply(status())
    else:
        reply({"type": "error", "error": "unknown command", "cmd": action})


def report():
    global seq, next_report
    if cfg["REPORT_INTERVAL_MS"] and time.ticks_diff(time.ticks_ms(), next_report) >= 0:
        next_report = time.ticks_add(next_report, cfg["REPORT_INTERVAL_MS"])
        seq += 1
        wsc.client.send_json({"type": "sensor", "seq": seq, "adc": adc.read()})


def main():
    return wsc.main(handle_message, cfg, report)


if __name__ == "__main__" and not wsc.safe_mode():
    main()
