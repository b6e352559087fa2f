package io.esp32hil.device;

/** What a person at a bench does with the board's surroundings; only targets with {@link Capability#BENCH_CONTROL}. */
public interface BenchControl {
    /** Takes the access point away, the way {@code loss} says; frames stop both ways until it is back. */
    void wifiDown(WifiLoss loss);

    void wifiUp();

    /** Which access points exist: {@code "ssid:password,other:"}. */
    void setAccessPoints(String spec);

    void setPin(int pin, int value);

    /** An ADC input, 0-65535. */
    void setAdc(int pin, int value16);

    /** The level the board drives on an output pin, or -1 if it never drove it. */
    int readPin(int pin);
}
