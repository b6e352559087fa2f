# Not the WebSocket client: a firmware of a few lines with log lines of its own, to show that a
# profile is all the harness needs to know of a firmware.
import time

import config

print("tick-counter up on", config.WIFI_SSID)
n = 0
while True:
    n += 1
    print("tick n=%d" % n)
    time.sleep_ms(100)
