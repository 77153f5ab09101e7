/** The cleansing macros (sl_clean, sl_ts, ...) every session that runs the models loads first. */
export const MACROS_SQL_URL = new URL('./macros.sql', import.meta.url);
