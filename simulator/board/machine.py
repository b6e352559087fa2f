# machine for the simulated ESP32: pins and ADC channels live in the host, where the control
# channel can set inputs and watch outputs.
import _board
import _errno

PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5


class Pin:
    IN = 1
    OUT = 3
    OPEN_DRAIN = 7
    PULL_DOWN = 1
    PULL_UP = 2
    IRQ_RISING = 1
    IRQ_FALLING = 2

    def __init__(self, id, mode=-1, pull=-1, *, value=None):
        if not isinstance(id, int) or not 0 <= id <= 39:
            raise ValueError("invalid pin")
        self._id = id
        self._mode = self.IN
        self._pull = None
        self._out = 0
        self.init(mode, pull, value=value)

    def init(self, mode=-1, pull=-1, *, value=None):
        if mode != -1:
            if mode in (self.OUT, self.OPEN_DRAIN) and 34 <= self._id <= 39:
                raise ValueError("pin can only be input")
            self._mode = mode
        if pull != -1:
            self._pull = pull
        if value is not None:
            self.value(value)
        elif mode in (self.OUT, self.OPEN_DRAIN):
            self.value(self._out)

    def value(self, v=None):
        if v is None:
            if self._mode == self.OUT:
                return self._out
            return _board.call("pin_read", self._id, self._pull)
        self._out = 1 if v else 0
        if self._mode in (self.OUT, self.OPEN_DRAIN):
            _board.notify(event="pin", pin=self._id, value=self._out)
        return None

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def irq(self, handler=None, trigger=3):
        raise _errno.OSError(_errno.EOPNOTSUPP)  # pin interrupts are not modelled yet

    def __repr__(self):
        return "Pin(%d)" % self._id


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    WIDTH_9BIT = 9
    WIDTH_10BIT = 10
    WIDTH_11BIT = 11
    WIDTH_12BIT = 12

    def __init__(self, pin, *, atten=None):
        self._id = pin if isinstance(pin, int) else pin._id
        if not (32 <= self._id <= 39 or self._id in (0, 2, 4, 12, 13, 14, 15, 25, 26, 27)):
            raise ValueError("invalid pin")
        self._width = 12
        self._atten = self.ATTN_0DB if atten is None else atten

    def read_u16(self):
        return _board.call("adc_read", self._id)

    def read(self):
        return self.read_u16() >> (16 - self._width)

    def read_uv(self):
        full_scale_uv = (1100000, 1500000, 2200000, 3900000)[self._atten]
        return self.read_u16() * full_scale_uv // 65535

    def atten(self, atten):
        self._atten = atten

    def width(self, bits):
        self._width = bits


class RTC:
    """The board's clock, the one time.time() reads (ntptime sets it through datetime())."""

    def datetime(self, dt=None):
        import time

        if dt is None:
            ms = _board.call("rtc_ms")
            y, mo, d, h, mi, s, wd, _ = time.gmtime(ms // 1000)
            return (y, mo, d, wd, h, mi, s, (ms % 1000) * 1000)
        y, mo, d, _wd, h, mi, s, us = (tuple(dt) + (0,) * 8)[:8]
        _board.call("rtc_set", time.mktime((y, mo, d, h, mi, s, 0, 0)) * 1000 + us // 1000)

    def init(self, dt):
        self.datetime(dt)


class WDT:
    """The task watchdog (MP ports/esp32/machine_wdt.c): reset the board unless fed within timeout ms."""

    def __init__(self, id=0, timeout=5000):
        if id != 0:
            raise ValueError
        if timeout <= 0:
            raise ValueError("WDT timeout too short")
        _board.call("wdt_start", int(timeout))

    def feed(self):
        _board.call("wdt_feed")


def reset():
    _board.call("hard_reset")


def soft_reset():
    raise SystemExit


def reset_cause():
    return _board.reset_cause


def unique_id():
    return _board.mac


def freq(hz=None):
    return 160000000 if hz is None else None


def idle():
    pass


def deepsleep(ms=None):
    # never returns: the board powers down and boots again with DEEPSLEEP_RESET after ms
    _board.call("deepsleep", None if ms is None else int(ms))


def lightsleep(ms=None):
    _board.call("sleep", 0 if ms is None else int(ms))
