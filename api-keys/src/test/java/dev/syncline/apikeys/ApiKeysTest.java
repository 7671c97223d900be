package dev.syncline.apikeys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeysTest {

    @Test
    void aNewKeyIsThePrefixAnd256RandomBitsInUrlSafeBase64() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            String key = ApiKeys.generate();
            assertThat(key).startsWith("syk_").hasSize(4 + 43).matches("syk_[A-Za-z0-9_-]{43}");
            keys.add(key);
        }
        assertThat(keys).hasSize(100);
    }

    @Test
    void theHashIsTheKeysHexSha256() {
        // sha256("syk_example"), computed elsewhere: services and the launcher must agree on it byte for byte
        assertThat(ApiKeys.hash("syk_example"))
                .isEqualTo("381c90361f015391cd4953cdcec2744b1e1ac1e83bd1828bae26cd4126af7e22");
    }

    @Test
    void theShownPrefixIsTheFirstTwelveCharactersNeverTheWholeKey() {
        String key = ApiKeys.generate();
        assertThat(ApiKeys.prefix(key)).hasSize(ApiKeys.PREFIX_LENGTH).isEqualTo(key.substring(0, 12));
        assertThat(ApiKeys.prefix("syk_ab")).isEqualTo("syk_ab");
    }

    @Test
    void hashesCompareEqualOnlyWhenBothArePresentAndTheSame() {
        String hash = ApiKeys.hash("syk_example");
        assertThat(ApiKeys.sameHash(hash, ApiKeys.hash("syk_example"))).isTrue();
        assertThat(ApiKeys.sameHash(hash, ApiKeys.hash("syk_other"))).isFalse();
        assertThat(ApiKeys.sameHash(hash, null)).isFalse();
        assertThat(ApiKeys.sameHash(null, null)).isFalse();
    }
}
