package dev.switchboard.http;

import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rendered {@code /v1/models} bodies of filters, at one revision each, bounded in count and bytes: callers can
 * invent filters, and at 100k models one body is ~25 MB. Past either bound the least recently served ones go, so
 * the filters clients keep asking for stay. A hit is a map read and a field write; eviction scans, but only when a
 * new body (a render) comes in.
 */
final class FilteredBodies {
    private final int maxEntries;
    private final long maxBytes;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    FilteredBodies(int maxEntries, long maxBytes) {
        this.maxEntries = maxEntries;
        this.maxBytes = maxBytes;
    }

    private static final class Entry {
        final ModelsDocument document;
        final long bytes;
        volatile long lastUsed;

        Entry(ModelsDocument document, long lastUsed) {
            this.document = document;
            this.bytes = (long) document.json().length() + document.gzip().length();
            this.lastUsed = lastUsed;
        }
    }

    ModelsDocument get(long revision, ModelsFilter filter) {
        Entry entry = entries.get(key(revision, filter));
        if (entry == null) return null;
        entry.lastUsed = System.nanoTime();
        return entry.document;
    }

    /** Keeps the body, evicting the least recently served ones past the bounds (never the one just put). */
    synchronized void put(long revision, ModelsFilter filter, ModelsDocument document) {
        String key = key(revision, filter);
        entries.put(key, new Entry(document, System.nanoTime()));
        long bytes = entries.values().stream().mapToLong(e -> e.bytes).sum();
        while (entries.size() > 1 && (entries.size() > maxEntries || bytes > maxBytes)) {
            var oldest = entries.entrySet().stream().filter(e -> !e.getKey().equals(key))
                    .min(Comparator.comparingLong(e -> e.getValue().lastUsed)).orElseThrow();
            entries.remove(oldest.getKey());
            bytes -= oldest.getValue().bytes;
        }
    }

    /** A new revision: every body is outdated (keyed by revision, never asked for again). */
    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    private static String key(long revision, ModelsFilter filter) {
        return revision + "|" + filter.key();
    }
}
