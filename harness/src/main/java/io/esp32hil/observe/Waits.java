package io.esp32hil.observe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;
import org.awaitility.core.ThrowingRunnable;

/**
 * The one way the harness waits: Awaitility, with the run's fail-fast check (its tripwires: a wait
 * ends the moment one fires), an alias that names what waits, and an upper bound on every wait. A
 * look at a stream blocks briefly for something new, so a wait ends as soon as its event arrives,
 * not at the next poll.
 */
public final class Waits {
    /** How much longer than its period a {@code during} wait may take before it counts as stuck. */
    private static final Duration SLACK = Duration.ofSeconds(5);
    /** How often a state that nothing announces (a pin, the passing of time) is looked at. */
    private static final Duration POLL = Duration.ofMillis(20);

    private final Clock clock;
    private volatile ThrowingRunnable failFast = () -> { };
    private final AtomicLong waitedNanos = new AtomicLong();

    public Waits(Clock clock) {
        this.clock = clock;
    }

    public Clock clock() {
        return clock;
    }

    /** Runs before every look; what it throws ends the wait and is what the waiter gets. */
    public void failFast(ThrowingRunnable check) {
        this.failFast = check;
    }

    /** How long the run waited on purpose ({@link #holds}, {@link #pause}): the scenario's own waits. */
    public Duration waited() {
        return Duration.ofNanos(waitedNanos.get());
    }

    /** The first value the look finds within the time, or nothing. */
    public <T> Optional<T> until(String alias, Duration atMost, Callable<Optional<T>> look) {
        try {
            return unwrapped(() -> factory(alias, atMost, Duration.ZERO).until(look, Optional::isPresent));
        } catch (ConditionTimeoutException e) {
            return Optional.empty();
        }
    }

    /** True once the condition holds within the time; false when the time is up first. */
    public boolean until(String alias, Duration atMost, BooleanSupplier condition) {
        try {
            unwrapped(() -> {
                factory(alias, atMost, POLL).until(condition::getAsBoolean);
                return null;
            });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    /** Waits the period out unless the look finds something, which ends it at once and is returned. */
    public <T> Optional<T> holds(String alias, Duration period, Callable<Optional<T>> look) {
        waitedNanos.addAndGet(period.toNanos());
        try {
            unwrapped(() -> {
                factory(alias, period.plus(SLACK), Duration.ZERO).during(period).until(() -> {
                    Optional<T> seen = look.call();
                    if (seen.isPresent()) {
                        throw new Seen(seen.get());
                    }
                    return true;
                });
                return null;
            });
            return Optional.empty();
        } catch (Seen s) {
            @SuppressWarnings("unchecked")
            T seen = (T) s.value;
            return Optional.of(seen);
        }
    }

    /** Waits the time out; the fail-fast check still ends it. */
    public void pause(String alias, Duration d) {
        waitedNanos.addAndGet(d.toNanos());
        unwrapped(() -> {
            factory(alias, d.plus(SLACK), POLL).during(d).until(() -> true);
            return null;
        });
    }

    private ConditionFactory factory(String alias, Duration atMost, Duration pollInterval) {
        // the harness's own threads may die without ending a wait (Awaitility's default would);
        // the condition runs on the waiting thread, so a cancelled scenario stops its wait at once
        return Awaitility.await(alias).atMost(atMost).pollDelay(Duration.ZERO).pollInterval(pollInterval).pollInSameThread()
                .dontCatchUncaughtExceptions().failFast(failFast);
    }

    /** What the fail-fast check threw, as itself; an interrupted wait as a cancellation. */
    private static <T> T unwrapped(Callable<T> wait) {
        try {
            return wait.call();
        } catch (TerminalFailureException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof InterruptedException) {
                Thread.currentThread().interrupt();
                throw new CancellationException("the wait was interrupted");
            }
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CancellationException("the wait was interrupted");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A look that found what must not be there. */
    private static final class Seen extends RuntimeException {
        private final transient Object value;

        Seen(Object value) {
            super(null, null, false, false);
            this.value = value;
        }
    }
}
