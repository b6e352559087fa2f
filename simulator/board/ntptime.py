# The ntptime module frozen into the ESP32 firmware (micropython-lib micropython/net/ntptime, listed in
# ports/esp32/boards/manifest.py), written for this simulator with the same interface: `host` and
# `timeout` may be changed at run time, time() asks the server once over UDP port 123 and returns
# seconds since the board's epoch (2000), settime() sets the RTC to UTC. Like the original it does
# not check the answer, and reads a 32-bit NTP seconds count below 2024-01-01 as past 2036's rollover.
import socket
import struct
from time import gmtime

host = "pool.ntp.org"
timeout = 1

_FROM_1900 = 3155673600  # seconds from 1900-01-01, NTP's epoch, to 2000-01-01, the board's
_EARLIEST = 3913056000  # 2024-01-01 as NTP seconds


def time():
    request = bytearray(48)
    request[0] = 0x23  # version 4, client
    where = socket.getaddrinfo(host, 123)[0][-1]
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        s.settimeout(timeout)
        s.sendto(request, where)
        answer = s.recv(48)
    finally:
        s.close()
    seconds = struct.unpack("!I", answer[40:44])[0]
    if seconds < _EARLIEST:
        seconds += 1 << 32
    return seconds - _FROM_1900


def settime():
    t = gmtime(time())
    import machine

    machine.RTC().datetime((t[0], t[1], t[2], t[6] + 1, t[3], t[4], t[5], 0))
