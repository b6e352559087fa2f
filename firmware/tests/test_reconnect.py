import websocket_client as wc


def test_backoff_doubles_from_the_base_up_to_the_cap_without_jitter():
    delays = [wc.backoff_delay(n, 1000, 30000, 0) for n in range(1, 9)]
    assert delays == [1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000], delays


def test_jitter_stays_within_plus_minus_and_within_the_bounds():
    for n in range(1, 12):
        nominal = min(30000, 1000 << (n - 1))
        for r in (0.0, 0.25, 0.5, 0.999):
            d = wc.backoff_delay(n, 1000, 30000, 0.2, lambda: r)
            assert 1000 <= d <= 30000, (n, r, d)
            assert nominal * 0.8 - 1 <= d <= nominal * 1.2, (n, r, d)


def test_with_jitter_each_delay_is_longer_than_the_last_until_the_cap():
    worst_next = [wc.backoff_delay(n, 500, 60000, 0.2, lambda: 0.0) for n in range(2, 8)]
    best_prev = [wc.backoff_delay(n, 500, 60000, 0.2, lambda: 0.999) for n in range(1, 7)]
    assert all(a > b for a, b in zip(worst_next, best_prev)), (worst_next, best_prev)


def test_huge_attempt_counts_do_not_overflow():
    assert wc.backoff_delay(1000, 1000, 30000, 0) == 30000


def test_outbox_keeps_order_and_drops_the_oldest_when_full():
    box = wc.Outbox(3)
    assert [box.put(m) for m in "abcde"] == [0, 0, 0, 1, 1]
    assert box.dropped == 2
    assert [box.pop() for _ in range(len(box))] == ["c", "d", "e"]


def test_a_message_whose_send_failed_goes_back_to_the_front():
    box = wc.Outbox(2)
    box.put("b")
    box.put_back("a")
    assert box.items == ["a", "b"]
    box.put_back("z")
    assert box.items == ["z", "a"] and box.dropped == 1


def test_outbox_of_size_zero_queues_nothing_and_counts():
    box = wc.Outbox(0)
    assert box.put("x") == 1 and len(box) == 0 and box.dropped == 1


def test_log_lines_keep_their_field_order_and_quote_what_needs_it():
    assert wc._value("a b") == '"a b"' and wc._value("") == '""' and wc._value("plain") == "plain"
    assert wc._value(True) == "true" and wc._value(12) == "12"
