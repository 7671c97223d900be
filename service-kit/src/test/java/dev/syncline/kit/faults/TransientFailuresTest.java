package dev.syncline.kit.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.pgclient.PgException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The services' database failures are classified by the connectors' {@link dev.syncline.connectors.sql.SqlStates}. */
class TransientFailuresTest {

    static PgException pg(String state) {
        return new PgException("x", "ERROR", state, null);
    }

    @Test
    void aDatabaseRestartingRefusingOrLosingAConflictIsTransientEvenWrapped() {
        for (String state : new String[] {"08006", "57P01", "57P03", "40001", "40P01", "53300"}) {
            assertThat(TransientFailures.is(pg(state))).as(state).isTrue();
            assertThat(TransientFailures.is(new CompletionException(pg(state)))).as(state).isTrue();
        }
    }

    @Test
    void aRefusalOfTheWorkItselfIsFinal() {
        for (String state : new String[] {"23505", "22P02", "42P01", "42501"}) {
            assertThat(TransientFailures.is(pg(state))).as(state).isFalse();
        }
        assertThat(TransientFailures.is(new IllegalStateException("a bug"))).isFalse();
    }

    @Test
    void aCancelledStatementIsNotWaitedOutOnThePlatformsOwnDatabases() {
        // 57014: query_canceled. A destination's statement timeout may be worth a retry; the services' databases set none
        assertThat(TransientFailures.is(pg("57014"))).isFalse();
        assertThat(dev.syncline.connectors.sql.SqlStates.isTransient("57014")).isTrue();
    }
}
