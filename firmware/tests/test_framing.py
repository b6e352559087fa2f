import struct

import websocket_client as wc
from mpunit import raises

MAX = 16384


def server_frame(opcode, payload=b"", fin=True, rsv=0, masked=False, length=None):
    """A frame as a server would send it (unmasked unless asked otherwise)."""
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | rsv | opcode
    m = 0x80 if masked else 0
    if n < 126:
        head = struct.pack("!BB", b0, m | n)
    elif n < 65536:
        head = struct.pack("!BBH", b0, m | 126, n)
    else:
        head = struct.pack("!BBQ", b0, m | 127, n)
    return head + (b"\x00\x00\x00\x00" if masked else b"") + payload


def unmask_client_frame(frame):
    b1 = frame[1]
    assert b1 & 0x80, "client frames must be masked"
    n, pos = b1 & 0x7F, 2
    if n == 126:
        n, pos = struct.unpack_from("!H", frame, 2)[0], 4
    elif n == 127:
        n, pos = struct.unpack_from("!Q", frame, 2)[0], 10
    key = frame[pos:pos + 4]
    data = bytearray(frame[pos + 4:])
    assert len(data) == n
    for i in range(n):
        data[i] ^= key[i & 3]
    return frame[0], bytes(key), bytes(data)


def test_mask_matches_the_byte_by_byte_definition_for_every_length():
    key = b"\x12\x34\xab\xcd"
    for n in (0, 1, 3, 4, 63, 64, 65, 127, 128, 130, 1000):
        data = bytes((i * 7) & 0xFF for i in range(n))
        buf = bytearray(b"head" + data)
        wc.mask(buf, key, 4)
        assert buf[:4] == b"head"
        assert bytes(buf[4:]) == bytes(data[i] ^ key[i & 3] for i in range(n)), n


def test_client_frames_are_masked_with_a_fresh_key_and_round_trip():
    payload = b"hello websocket"
    f1 = wc.encode_frame(wc.OP_TEXT, payload)
    f2 = wc.encode_frame(wc.OP_TEXT, payload)
    b0, k1, data = unmask_client_frame(f1)
    assert b0 == 0x81 and data == payload
    assert unmask_client_frame(f2)[1] != k1, "each frame needs its own random mask"


def test_length_encodings_7_16_and_64_bit():
    for n, header_len in ((125, 6), (126, 8), (65535, 8), (65536, 14)):
        frame = wc.encode_frame(wc.OP_BINARY, bytes(n), key=b"\x01\x02\x03\x04")
        assert len(frame) == header_len + n, n
        assert unmask_client_frame(frame)[2] == bytes(n)


def test_non_final_fragment_has_fin_clear():
    assert wc.encode_frame(wc.OP_TEXT, b"ab", fin=False)[0] == 0x01


def test_parse_reads_frames_of_each_length_encoding():
    for n in (0, 5, 125, 126, 300, 65535, 65536):
        payload = bytes(i & 0xFF for i in range(n))
        frame = server_frame(wc.OP_BINARY, payload)
        fin, op, data, used = wc.parse_frame(frame + b"next", 70000)
        assert (fin, op, data, used) == (True, wc.OP_BINARY, payload, len(frame)), n


def test_parse_waits_for_an_incomplete_frame():
    frame = server_frame(wc.OP_TEXT, b"x" * 300)
    for cut in (0, 1, 2, 3, 100, len(frame) - 1):
        assert wc.parse_frame(frame[:cut], MAX) is None, cut
        assert not wc.frame_ready(frame[:cut])
    assert wc.frame_ready(frame)


def expect_error(frame, code, words, max_size=MAX):
    e = raises(wc.ProtocolError, wc.parse_frame, frame, max_size)
    assert e.code == code and words in e.reason, (code, e.code, e.reason)


def test_protocol_errors_get_1002():
    expect_error(server_frame(wc.OP_TEXT, b"a", rsv=0x40), 1002, "reserved")
    expect_error(server_frame(0x3, b"a"), 1002, "opcode")
    expect_error(server_frame(0xB, b""), 1002, "opcode")
    expect_error(server_frame(wc.OP_TEXT, b"a", masked=True), 1002, "masked")
    expect_error(server_frame(wc.OP_PING, b"a", fin=False), 1002, "fragmented control")
    expect_error(server_frame(wc.OP_PING, b"a" * 126), 1002, "control frame")
    expect_error(b"\x82\x7f\x80\x00\x00\x00\x00\x00\x00\x00", 1002, "top bit")


def test_a_frame_over_the_limit_gets_1009_before_its_payload_arrives():
    expect_error(server_frame(wc.OP_BINARY, length=MAX + 1)[:4], 1009, "over the limit")


def test_fragmented_text_is_reassembled_across_a_utf8_boundary():
    text = "grüße, 世界"
    raw = text.encode()
    a = wc.Assembler(MAX)
    assert a.add(False, wc.OP_TEXT, raw[:3]) is None
    assert a.add(False, wc.OP_CONT, raw[3:8]) is None
    assert a.add(True, wc.OP_CONT, raw[8:]) == text


def test_binary_message_is_bytes_and_text_is_str():
    a = wc.Assembler(MAX)
    assert a.add(True, wc.OP_BINARY, b"\x00\xff") == b"\x00\xff"
    assert a.add(True, wc.OP_TEXT, b"hi") == "hi"


def test_fragmentation_errors():
    e = raises(wc.ProtocolError, wc.Assembler(MAX).add, True, wc.OP_CONT, b"x")
    assert e.code == 1002
    a = wc.Assembler(MAX)
    a.add(False, wc.OP_TEXT, b"a")
    assert raises(wc.ProtocolError, a.add, True, wc.OP_TEXT, b"b").code == 1002
    a = wc.Assembler(10)
    a.add(False, wc.OP_BINARY, b"123456")
    assert raises(wc.ProtocolError, a.add, True, wc.OP_CONT, b"78901").code == 1009


def test_invalid_utf8_text_gets_1007():
    for bad in (b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"ok\xe2\x82", b"\xe2\x28\xa1"):
        assert raises(wc.ProtocolError, wc.Assembler(MAX).add, True, wc.OP_TEXT, bad).code == 1007, bad


def test_utf8_validator_accepts_the_edges_of_each_range():
    for good in (b"", b"ascii", "\u0080\u07ff\u0800\uffff".encode(), "\U00010000\U0010ffff".encode(),
                 b"\xed\x9f\xbf", b"\xee\x80\x80"):
        assert wc.valid_utf8(good), good


def test_close_codes():
    for code in (1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 4999):
        assert wc.valid_close_code(code), code
    for code in (0, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000):
        assert not wc.valid_close_code(code), code


def test_close_payload_parsing():
    assert wc.parse_close(b"") == (1005, "")
    assert wc.parse_close(wc.close_payload(1001, "bye")) == (1001, "bye")
    assert raises(wc.ProtocolError, wc.parse_close, b"\x03").code == 1002
    assert raises(wc.ProtocolError, wc.parse_close, struct.pack("!H", 1005)).code == 1002
    assert raises(wc.ProtocolError, wc.parse_close, struct.pack("!H", 1000) + b"\xff").code == 1007


def test_close_reason_is_cut_to_fit_a_control_frame_on_a_character_boundary():
    payload = wc.close_payload(1000, "é" * 100)
    assert len(payload) <= 125
    assert wc.parse_close(payload)[1] == "é" * 61
