package dev.switchboard.provider;

import java.util.HashSet;
import java.util.Set;

/**
 * Bounds one paginated listing: at most {@link #MAX_PAGES} pages, and no cursor twice. An upstream
 * that keeps saying "more" or hands back a cursor it already gave would otherwise loop forever.
 */
final class PageCursors {
    static final int MAX_PAGES = 1000;

    private final Set<String> seen = new HashSet<>();
    private int pagesRead;

    /**
     * Records that one more page was read and that the upstream points at {@code nextCursor}.
     *
     * @throws FetchException when following the cursor would exceed the bound or revisit a page
     */
    void advance(String nextCursor) throws FetchException {
        pagesRead++;
        if (pagesRead >= MAX_PAGES) {
            throw new FetchException("pagination did not end after " + MAX_PAGES + " pages");
        }
        if (!seen.add(nextCursor)) {
            throw ModelEntries.malformed("pagination cursor repeated after page " + pagesRead);
        }
    }
}
