# A unit-test runner small enough for a board: runs every test_* function of the given modules and
# prints one line per test ("PASS name" / "FAIL name: why") and a last line "SUMMARY passed=N
# failed=M". The harness runs it through the raw REPL on the simulator (and can on a real ESP32).
import sys


def raises(exc_type, fn, *args):
    """Calls fn(*args) and returns the exception, which must be an exc_type."""
    try:
        fn(*args)
    except exc_type as e:
        return e
    raise AssertionError("%s not raised by %s%r" % (exc_type.__name__, getattr(fn, "__name__", fn), args))


def run(*modules):
    passed = failed = 0
    for mod in modules:
        for name in sorted(dir(mod)):
            if not name.startswith("test_"):
                continue
            label = mod.__name__ + "." + name
            try:
                getattr(mod, name)()
            except Exception as e:  # a failing test must not stop the others; Ctrl-C still does
                failed += 1
                print("FAIL %s: %s %s" % (label, type(e).__name__, e))
                sys.print_exception(e)
            else:
                passed += 1
                print("PASS " + label)
    print("SUMMARY passed=%d failed=%d" % (passed, failed))
    return failed == 0
