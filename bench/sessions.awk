# Emits Redis protocol for N sessions in the gateway's layout (Gateway/Sessions/RedisSessionStore.cs):
# gw:s:<43-char key> hash {u r c l a i g p m} with the idle TTL, and gw:u:{<user>} sorted sets scored by
# absolute expiry. Usage: awk -v n=100000 -v users=10000 -v now_ms=... -f sessions.awk | redis-cli --pipe
function cmd(argc, a,    s, i) {
  s = "*" argc "\r\n"
  for (i = 1; i <= argc; i++) s = s "$" length(a[i]) "\r\n" a[i] "\r\n"
  printf "%s", s
}
BEGIN {
  ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36"
  abs = now_ms + 12 * 3600 * 1000
  for (k = 0; k < n; k++) {
    key = sprintf("bench7%037d", k)
    user = sprintf("user%05d", k % users)
    a[1] = "HSET"; a[2] = "gw:s:" key
    a[3] = "u"; a[4] = user; a[5] = "r"; a[6] = "user"; a[7] = "c"; a[8] = now_ms; a[9] = "l"; a[10] = now_ms
    a[11] = "a"; a[12] = abs; a[13] = "i"; a[14] = "127.0.0.1"; a[15] = "g"; a[16] = ua
    a[17] = "p"; a[18] = "AbCdEfGhIjKl"; a[19] = "m"; a[20] = "form"
    cmd(20, a)
    b[1] = "PEXPIRE"; b[2] = "gw:s:" key; b[3] = 1800000
    cmd(3, b)
    z[1] = "ZADD"; z[2] = "gw:u:{" user "}"; z[3] = abs; z[4] = key
    cmd(4, z)
  }
}
