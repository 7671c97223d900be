package dev.syncline.connection.tags;

import com.ibm.icu.text.Normalizer2;
import java.text.Normalizer;

/**
 * When two tag names are one tag: after Unicode's NFKC_Casefold (ICU), so {@code café} typed precomposed or with a
 * combining accent, {@code CAFÉ} and full-width {@code ｃａｆé} are the same tag. The key is what the database keeps
 * unique ({@code tag.name_key}); the name is kept as typed (in NFC) for display.
 */
public final class TagNames {
    private static final Normalizer2 NFKC_CASEFOLD = Normalizer2.getNFKCCasefoldInstance();

    private TagNames() { }

    /** The name as compared: NFKC, case folded, without default-ignorable characters. */
    public static String key(String name) {
        return NFKC_CASEFOLD.normalize(name.strip());
    }

    /** The name as shown: as typed, trimmed, composed (NFC). */
    public static String display(String name) {
        return Normalizer.normalize(name.strip(), Normalizer.Form.NFC);
    }
}
