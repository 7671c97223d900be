package dev.syncline.sync.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RetriesTest {

    @Test
    void aRejectionSupersedesOnlyWhatWasRejectedBeforeUnderItsKey() {
        Retries unknown = new Retries();
        assertThat(unknown.supersedes("public.people", "{\"id\":1}", false)).as("earlier rejections not loaded").isNull();

        Retries r = new Retries();
        r.known = true;
        assertThat(r.supersedes("public.people", "{\"id\":1}", false)).isFalse();
        assertThat(r.supersedes("public.people", "{\"id\":1}", false)).as("rejected again in this attempt").isTrue();
        assertThat(r.supersedes("public.other", "{\"id\":1}", false)).as("another stream").isFalse();
        assertThat(r.supersedes("public.people", "{\"id\":2}", true)).as("still open from an earlier sync").isTrue();
    }

    @Test
    void pastTheKeysItRemembersItNoLongerClaimsThereIsNone() {
        Retries r = new Retries();
        r.known = true;
        for (int i = 0; i < Retries.TRACKED_KEYS; i++) {
            assertThat(r.supersedes("s", "k" + i, false)).isFalse();
        }
        assertThat(r.supersedes("s", "new", false)).isNull();
        assertThat(r.supersedes("s", "k1", false)).isTrue();
    }
}
