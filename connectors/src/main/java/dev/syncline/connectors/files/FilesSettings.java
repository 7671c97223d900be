package dev.syncline.connectors.files;

import dev.syncline.connectors.spi.Setting;

/**
 * The files source's config as users write it, declared once: its spec is made from this record and every setting is
 * read through it ({@link FilesConfig} resolves what depends on the path: format, delimiter, stream name).
 */
@Setting(title = "Files (CSV, JSON lines)")
record FilesSettings(
        @Setting(title = "Path", description = "An absolute path to a file, or a glob such as /data/orders/*.csv; every matching "
                + "file is one stream's rows. Only under the folders an admin opened to connectors "
                + "(syncline.connectors.files.roots; ./syncline env prints it as SYNCLINE_FILES), links and '..' resolved.",
                required = true, minLength = 1, pattern = "^/(?!.*(^|/)\\.\\.(/|$))[^\\u0000-\\u001f\\u007f]*$",
                patternMessage = "must be an absolute path with no '..' segment (and no control character)")
        String path,
        @Setting(title = "Stream name", description = "Default: the file name without its extension (the glob's folder name for "
                + "several files).", minLength = 1)
        String streamName,
        @Setting(title = "Format", description = "Default: from the file extension (.csv, .tsv, .jsonl, .ndjson).")
        Format format,
        @Setting(title = "Delimiter", description = "Default: a tab for .tsv files, else a comma.", minLength = 1, maxLength = 2)
        String delimiter,
        @Setting(title = "Quote character", minLength = 1, maxLength = 1, defaultValue = "\"")
        String quoteChar,
        @Setting(title = "First line is a header", defaultValue = "true")
        boolean header,
        @Setting(title = "Encoding", defaultValue = "UTF-8")
        String encoding,
        @Setting(title = "Rows sampled to infer the schema", minimum = 1, defaultValue = "1000")
        int sampleRows) {

    enum Format { CSV, JSONL }
}
