package dev.syncline.console;

import io.quarkus.qute.TemplateExtension;
import java.util.Locale;

/** How the pages write numbers: with thousands separators ({@code {j.read.grouped}} → 1,000,000). */
@TemplateExtension
final class Formats {
    private Formats() { }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
