// _native: what the native engine's board needs from the host process that MicroPython's Unix port
// does not offer (it is built without ffi).
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#include "py/runtime.h"
#include "py/mperrno.h"

// The board's clock as mbedTLS reads it. A certificate's dates are checked against the C library's
// time() (mbedTLS x509_get_current_time through mbedtls_time); on an ESP32 that is the board's RTC,
// which reads 2000-01-01 after power-on until something sets it (MP ports/esp32/main.c). This
// definition in the executable takes the place of the C library's, so the host's clock never
// decides whether a board trusts a server.
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

// set_tls_clock(seconds since 1970 on the board's clock)
static mp_obj_t native_set_tls_clock(mp_obj_t board_seconds) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    board_minus_host = (time_t)mp_obj_get_int(board_seconds) - now.tv_sec;
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(native_set_tls_clock_obj, native_set_tls_clock);

// die_with_parent(pid): the process is killed when its parent (the simulator) ends, however it
// ends; False if the parent is not pid any more (it ended before the signal was set).
static mp_obj_t native_die_with_parent(mp_obj_t pid) {
    prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
    return mp_obj_new_bool(getppid() == (pid_t)mp_obj_get_int(pid));
}
static MP_DEFINE_CONST_FUN_OBJ_1(native_die_with_parent_obj, native_die_with_parent);

// The link to the host (src/native-engine.js): a request is a frame on fd 3, its answer a frame on
// fd 4, each two 4-byte big-endian lengths, then JSON text and raw bytes; the answer's bytes stay
// in the pipe until the caller reads them, straight into its buffer when it has one. It is C so
// that a Ctrl-C cannot cut a frame: a pending KeyboardInterrupt is raised between bytecodes, so
// only once a whole frame is written or read (in Python the board lost its place in the stream).
#define TO_HOST 3
#define FROM_HOST 4

static size_t unread; // bytes of the last answer not read yet

static void transfer(int fd, uint8_t *buf, size_t len, bool out) {
    while (len) {
        ssize_t n = out ? write(fd, buf, len) : read(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue; // the signal's KeyboardInterrupt waits for the frame's end
        }
        if (n <= 0) {
            exit(1); // the simulator is gone: so is its board
        }
        buf += n;
        len -= n;
    }
}

static void skip(size_t len) {
    uint8_t sink[256];
    while (len) {
        size_t n = len < sizeof(sink) ? len : sizeof(sink);
        transfer(FROM_HOST, sink, n, false);
        len -= n;
    }
}

static void put_u32(uint8_t *p, size_t v) {
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static void send_frame(mp_obj_t body, mp_obj_t data) {
    mp_buffer_info_t b, d = { .buf = NULL, .len = 0 };
    mp_get_buffer_raise(body, &b, MP_BUFFER_READ);
    if (data != mp_const_none) {
        mp_get_buffer_raise(data, &d, MP_BUFFER_READ);
    }
    uint8_t head[8];
    put_u32(head, b.len);
    put_u32(head + 4, d.len);
    transfer(TO_HOST, head, 8, true);
    transfer(TO_HOST, b.buf, b.len, true);
    transfer(TO_HOST, d.buf, d.len, true);
}

// request(body, data or None) -> the answer's JSON text as bytes
static mp_obj_t native_request(mp_obj_t body, mp_obj_t data) {
    skip(unread);
    unread = 0;
    send_frame(body, data);
    uint8_t head[8];
    transfer(FROM_HOST, head, 8, false);
    size_t n = (size_t)head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3];
    unread = (size_t)head[4] << 24 | head[5] << 16 | head[6] << 8 | head[7];
    byte *text = m_malloc_maybe(n + 1);
    if (text == NULL) {
        skip(n); // the stream keeps its place; the answer is lost, as a board's result would be
        mp_raise_msg(&mp_type_MemoryError, MP_ERROR_TEXT("memory allocation failed"));
    }
    transfer(FROM_HOST, text, n, false);
    vstr_t v = { .alloc = n + 1, .len = n, .buf = (char *)text, .fixed_buf = false };
    return mp_obj_new_bytes_from_vstr(&v);
}
static MP_DEFINE_CONST_FUN_OBJ_2(native_request_obj, native_request);

// message(body): a frame that needs no answer (an event, a soft reboot)
static mp_obj_t native_message(mp_obj_t body) {
    send_frame(body, mp_const_none);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(native_message_obj, native_message);

// read_into(buf) -> how many of the answer's bytes went into buf
static mp_obj_t native_read_into(mp_obj_t buf_in) {
    mp_buffer_info_t buf;
    mp_get_buffer_raise(buf_in, &buf, MP_BUFFER_WRITE);
    size_t n = buf.len < unread ? buf.len : unread;
    transfer(FROM_HOST, buf.buf, n, false);
    unread -= n;
    return MP_OBJ_NEW_SMALL_INT(n);
}
static MP_DEFINE_CONST_FUN_OBJ_1(native_read_into_obj, native_read_into);

// read(n) -> up to n of the answer's bytes
static mp_obj_t native_read(mp_obj_t n_in) {
    size_t n = mp_obj_get_int(n_in);
    n = n < unread ? n : unread;
    vstr_t v;
    vstr_init_len(&v, n); // before the bytes leave the pipe: a MemoryError leaves them unread
    transfer(FROM_HOST, (uint8_t *)v.buf, n, false);
    unread -= n;
    return mp_obj_new_bytes_from_vstr(&v);
}
static MP_DEFINE_CONST_FUN_OBJ_1(native_read_obj, native_read);

// A Ctrl-C is a SIGINT (src/native-engine.js). The Unix port ends the process on a second one that
// comes before the first was handled; a board takes any number of Ctrl-Cs, so this handler only
// schedules the KeyboardInterrupt.
static void on_sigint(int signum) {
    (void)signum;
    mp_sched_keyboard_interrupt();
}

static mp_obj_t native_take_sigint(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_0(native_take_sigint_obj, native_take_sigint);

// The ESP32 port's split heap: the GC heap starts at 56 KB and, when an allocation fails after a
// collection, adds an area from the ESP-IDF heap, at least doubling itself, or just what a large
// allocation needs; an area left empty is given back (MP ports/esp32/mpconfigport.h
// MICROPY_GC_SPLIT_HEAP_AUTO, py/gc.c gc_try_add_heap). The IDF heap a board has left for it is
// `room` here: 0 until the board starts its program, then what its heap budget leaves.
static size_t room;
#define AREA_HEADER 16 // an area's size, kept before it; 16 keeps the area aligned for any object

size_t gc_get_max_new_split(void) {
    return room;
}

void *native_alloc_heap(size_t size) {
    if (size > room) {
        return NULL;
    }
    size_t *area = malloc(size + AREA_HEADER);
    if (area == NULL) {
        return NULL;
    }
    room -= size;
    *area = size;
    return (char *)area + AREA_HEADER;
}

void native_free_heap(void *ptr) {
    size_t *area = (size_t *)((char *)ptr - AREA_HEADER);
    room += *area;
    free(area);
}

// set_heap_room(bytes): what the IDF heap holds for new GC areas
static mp_obj_t native_set_heap_room(mp_obj_t bytes) {
    room = mp_obj_get_int(bytes);
    return mp_const_none;
}
static MP_DEFINE_CONST_FUN_OBJ_1(native_set_heap_room_obj, native_set_heap_room);

static const mp_rom_map_elem_t native_globals_table[] = {
    { MP_ROM_QSTR(MP_QSTR_set_heap_room), MP_ROM_PTR(&native_set_heap_room_obj) },
    { MP_ROM_QSTR(MP_QSTR_request), MP_ROM_PTR(&native_request_obj) },
    { MP_ROM_QSTR(MP_QSTR_message), MP_ROM_PTR(&native_message_obj) },
    { MP_ROM_QSTR(MP_QSTR_read_into), MP_ROM_PTR(&native_read_into_obj) },
    { MP_ROM_QSTR(MP_QSTR_read), MP_ROM_PTR(&native_read_obj) },
    { MP_ROM_QSTR(MP_QSTR_take_sigint), MP_ROM_PTR(&native_take_sigint_obj) },
    { MP_ROM_QSTR(MP_QSTR___name__), MP_ROM_QSTR(MP_QSTR__native) },
    { MP_ROM_QSTR(MP_QSTR_set_tls_clock), MP_ROM_PTR(&native_set_tls_clock_obj) },
    { MP_ROM_QSTR(MP_QSTR_die_with_parent), MP_ROM_PTR(&native_die_with_parent_obj) },
};
static MP_DEFINE_CONST_DICT(native_globals, native_globals_table);

const mp_obj_module_t native_module = {
    .base = { &mp_type_module },
    .globals = (mp_obj_dict_t *)&native_globals,
};

MP_REGISTER_MODULE(MP_QSTR__native, native_module);
