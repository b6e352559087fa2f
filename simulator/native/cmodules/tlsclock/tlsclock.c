// The board's clock as mbedTLS reads it. A certificate's dates are checked against the C library's
// time() (mbedTLS x509_get_current_time through mbedtls_time); on an ESP32 that is the board's RTC,
// which reads 2000-01-01 after power-on until something sets it (MP ports/esp32/main.c). This
// definition in the executable takes the place of the C library's for the mbedTLS libraries the
// interpreter is linked with, so the host's clock never decides whether a board trusts a server.
#include <time.h>

#include "py/runtime.h"

static time_t board_minus_host; // seconds; the host's clock until the board model sets it

time_t time(time_t *out) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    time_t t = now.tv_sec + board_minus_host;
    if (out != NULL) {
        *out = t;
    }
    return t;
}

// set(seconds since 1970 on the board's clock)
static mp_obj_t tlsclock_set(mp_obj_t board_seconds) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    board_minus_host = (time_t)mp_obj_get_int(board_seconds) - now.tv_sec;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(tlsclock_set_obj, tlsclock_set);

static const mp_rom_map_elem_t tlsclock_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__tlsclock) },
    { MP_ROM_QSTR(MP_QSTR_set), MP_ROM_PTR(&tlsclock_set_obj) },
};
static MP_DEFINE_CONST_DICT(tlsclock_globals, tlsclock_globals_table);

const mp_obj_module_t tlsclock_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&tlsclock_globals,
};

MP_REGISTER_MODULE(MP_QSTR__tlsclock, tlsclock_module);
