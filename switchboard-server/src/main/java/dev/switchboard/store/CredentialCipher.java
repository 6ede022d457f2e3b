package dev.switchboard.store;

import dev.switchboard.config.StoreConfig;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * Encrypts provider credentials at rest with AES-256-GCM. The master key comes from
 * {@code SWITCHBOARD_MASTER_KEY} (base64 of 32 bytes), else from {@code [store] master_key_file}, else (H2
 * only) from {@code master.key} beside the database, created on first start with owner-only permissions.
 * On PostgreSQL the key must be given: instances sharing the store that each generated their own key could
 * not read each other's credentials. Ciphertexts look like {@code v1:<base64(iv ‖ ciphertext ‖ tag)>}.
 */
public final class CredentialCipher {
    public static final String ENV = "SWITCHBOARD_MASTER_KEY";
    private static final String PREFIX = "v1:";
    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public CredentialCipher(byte[] key) {
        if (key.length != 32) throw new IllegalArgumentException("the master key must be 32 bytes, got " + key.length);
        this.key = new SecretKeySpec(key.clone(), "AES");
    }

    /**
     * Fails when {@code store} is PostgreSQL and no key is given, or its key file is missing. Called before the
     * store is opened, so that a refused start touches nothing.
     */
    public static void checkSource(Map<String, String> env, StoreConfig store) {
        if (!store.isPostgres() || hasEnvKey(env)) return;
        Path file = store.masterKeyFile().orElseThrow(() -> new IllegalStateException("a PostgreSQL store (cluster mode)"
                + " needs an explicit master key, the same on every instance: set " + ENV + " (e.g. `openssl rand -base64 32`)"
                + " or [store] master_key_file; instances that each generated their own key could not read each other's"
                + " provider credentials"));
        if (!Files.exists(file)) {
            throw new IllegalStateException("[store] master_key_file " + file + " does not exist; on PostgreSQL it is not created:"
                    + " write one with `openssl rand -base64 32 > " + file + "` and give every instance the same file");
        }
    }

    /** The key of {@link #checkSource}'s rules: the environment, the named file, else one beside the H2 file. */
    public static CredentialCipher load(Map<String, String> env, StoreConfig store) {
        checkSource(env, store);
        if (hasEnvKey(env)) {
            try {
                return new CredentialCipher(Base64.getDecoder().decode(env.get(ENV).trim()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(ENV + " must be the base64 encoding of 32 random bytes (e.g. `openssl rand -base64 32`)");
            }
        }
        if (store.url().startsWith("jdbc:h2:mem:")) return ephemeral(); // nothing outlives the process to decrypt
        Path keyFile = store.masterKeyFile().or(() -> Store.h2Directory(store.url()).map(dir -> dir.resolve("master.key")))
                .orElse(Path.of("data", "master.key"));
        try {
            if (!Files.exists(keyFile)) create(keyFile);
            return new CredentialCipher(Base64.getDecoder().decode(Files.readString(keyFile).trim()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the master key file " + keyFile + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the master key file " + keyFile + " must hold the base64 encoding of 32 random bytes"
                    + " (e.g. `openssl rand -base64 32`)");
        }
    }

    private static boolean hasEnvKey(Map<String, String> env) {
        String fromEnv = env.get(ENV);
        return fromEnv != null && !fromEnv.isBlank();
    }

    private static CredentialCipher ephemeral() {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        return new CredentialCipher(fresh);
    }

    private static void create(Path keyFile) throws IOException {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        if (keyFile.getParent() != null) Files.createDirectories(keyFile.getParent());
        Path temp = Files.createTempFile(keyFile.toAbsolutePath().getParent(), ".master", ".key");
        try {
            Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system: the directory's permissions are all we have
        }
        Files.writeString(temp, Base64.getEncoder().encodeToString(fresh) + "\n");
        try {
            Files.move(temp, keyFile, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException raced) {
            Files.deleteIfExists(temp); // another process created it first; use theirs
        }
    }

    /** A key for another purpose (e.g. signing access tokens), derived so the master key itself is used only here. */
    public byte[] derive(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.getEncoded(), "HmacSHA256"));
            return mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public String encrypt(String plaintext) {
        try {
            byte[] iv = new byte[IV_BYTES];
            random.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + sealed.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(sealed, 0, out, iv.length, sealed.length);
            return PREFIX + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot encrypt a credential", e);
        }
    }

    public String decrypt(String ciphertext) {
        if (!ciphertext.startsWith(PREFIX)) throw new IllegalStateException("unknown credential format");
        try {
            byte[] in = Base64.getDecoder().decode(ciphertext.substring(PREFIX.length()));
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, in, 0, IV_BYTES));
            return new String(cipher.doFinal(in, IV_BYTES, in.length - IV_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // never include the ciphertext or key in the message
            throw new IllegalStateException("cannot decrypt a stored credential: wrong master key or corrupted value");
        }
    }
}
