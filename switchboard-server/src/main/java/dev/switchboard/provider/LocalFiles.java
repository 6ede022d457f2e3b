package dev.switchboard.provider;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a {@code file:} URL's document (a bundled sample registry) under the same size cap as a response body. */
final class LocalFiles {
    private LocalFiles() {
    }

    static byte[] read(URI uri, long maxBytes) throws FetchException, InterruptedException {
        Path path;
        try {
            path = Path.of(uri);
        } catch (IllegalArgumentException | FileSystemNotFoundException e) {
            throw new FetchException("invalid file URI");
        }
        try (InputStream in = Files.newInputStream(path)) {
            if (Files.size(path) > maxBytes) throw tooLarge(maxBytes);
            // One byte more than the cap tells "exactly at the cap" from "over it" without reading on.
            byte[] body = in.readNBytes((int) Math.min(maxBytes, Integer.MAX_VALUE - 9) + 1);
            if (body.length > maxBytes) throw tooLarge(maxBytes);
            return body;
        } catch (NoSuchFileException e) {
            throw new FetchException("file not found: " + path);
        } catch (AccessDeniedException e) {
            throw new FetchException("permission denied: " + path);
        } catch (ClosedByInterruptException e) {
            throw new InterruptedException("interrupted while reading " + path);
        } catch (IOException e) {
            throw new FetchException("cannot read " + path + ": " + e.getClass().getSimpleName());
        }
    }

    private static FetchException tooLarge(long maxBytes) {
        return new FetchException(FailureReasons.overCap(maxBytes));
    }
}
