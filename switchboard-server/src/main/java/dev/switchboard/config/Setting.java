package dev.switchboard.config;

/**
 * One raw value before type conversion.
 *
 * @param key    the key as written, e.g. {@code port}
 * @param value  a String, Long, Double or Boolean; a {@code List<Object>} for an array; a
 *               {@code Map<String, Setting>} for a table; other TOML values (dates) as tomlj gives them
 * @param origin where it was written
 */
record Setting(String key, Object value, Origin origin) {
}
