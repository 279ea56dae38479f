using System.Buffers.Binary;
using System.Text;

namespace Gateway.Sessions;

/// <summary>
/// A session record as one compact Redis string (about 200 bytes with a browser's user agent, against ~770 for
/// the 11-field hash it replaced). The fields a touch rewrites sit at fixed offsets so a script can update them
/// in place with <c>SETRANGE</c>:
/// <code>
/// 0 version (1)   1 flags (bit 0 superseded, bit 1 persistent)
/// 2 last seen     10 idle expiry (last seen + TTL, the active-count bucket)     (ms since epoch, int64 big-endian)
/// 18 created      26 absolute expiry     34 renewed
/// 42 user, roles (joined by '\n'), client IP, user agent, password stamp, method: each a varint length + UTF-8
/// [remember-me selector: the same, only when the session has one (23 bytes), so other sessions pay nothing]
/// </code>
/// A reader that knows only the six texts ignores the optional seventh, so the version stays 1.
/// </summary>
internal static class SessionRecordCodec
{
    public const byte Version = 1;
    public const int FlagsOffset = 1;
    public const int LastSeenOffset = 2;
    public const int IdleExpiryOffset = 10;
    private const int HeaderLength = 42;
    private const byte Superseded = 1;
    private const byte Persistent = 2;

    public static byte[] Encode(SessionRecord record, DateTimeOffset idleExpiry)
    {
        Span<string> all = [record.User, string.Join('\n', record.Roles), record.ClientIp, record.UserAgent, record.PasswordStamp, record.Method, record.RememberSelector];
        var texts = record.RememberSelector.Length > 0 ? all : all[..^1];
        var length = HeaderLength;
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(bytes, 0x1FFFFF, nameof(record)); // three varint bytes
            length += VarintLength(bytes) + bytes;
        }
        var value = new byte[length];
        value[0] = Version;
        value[FlagsOffset] = (byte)((record.Superseded ? Superseded : 0) | (record.Persistent ? Persistent : 0));
        WriteTime(value, LastSeenOffset, record.LastSeen);
        WriteTime(value, IdleExpiryOffset, idleExpiry);
        WriteTime(value, 18, record.Created);
        WriteTime(value, 26, record.AbsoluteExpiry);
        WriteTime(value, 34, record.Renewed == default ? record.Created : record.Renewed);
        var at = HeaderLength;
        foreach (var text in texts)
        {
            var bytes = Encoding.UTF8.GetByteCount(text);
            at += WriteVarint(value.AsSpan(at), bytes);
            at += Encoding.UTF8.GetBytes(text, value.AsSpan(at));
        }
        return value;
    }

    /// <summary>The record, or null for a value this version cannot read (another format, truncated).</summary>
    public static SessionRecord? Decode(ReadOnlySpan<byte> value)
    {
        if (value.Length < HeaderLength || value[0] != Version)
        {
            return null;
        }
        var at = HeaderLength;
        var texts = new string[7];
        texts[6] = "";
        for (var i = 0; i < texts.Length && (i < 6 || at < value.Length); i++)
        {
            if (!TryReadVarint(value[at..], out var length, out var read) || length > value.Length - at - read)
            {
                return null;
            }
            texts[i] = Encoding.UTF8.GetString(value.Slice(at + read, length));
            at += read + length;
        }
        var flags = value[FlagsOffset];
        return new SessionRecord(texts[0], texts[1].Length == 0 ? [] : texts[1].Split('\n'),
            ReadTime(value, 18), ReadTime(value, LastSeenOffset), ReadTime(value, 26), texts[2], texts[3], texts[4], texts[5],
            ReadTime(value, 34), (flags & Superseded) != 0, (flags & Persistent) != 0, texts[6]);
    }

    /// <summary>The idle expiry of an encoded record (what the active count holds it under).</summary>
    public static DateTimeOffset? IdleExpiryOf(ReadOnlySpan<byte> value) =>
        value.Length >= HeaderLength && value[0] == Version ? ReadTime(value, IdleExpiryOffset) : null;

    /// <summary>Last seen and idle expiry, the 16 bytes a touch writes at <see cref="LastSeenOffset"/>.</summary>
    public static byte[] EncodeTouch(DateTimeOffset lastSeen, DateTimeOffset idleExpiry)
    {
        var value = new byte[16];
        WriteTime(value, 0, lastSeen);
        WriteTime(value, 8, idleExpiry);
        return value;
    }

    public static DateTimeOffset ReadTime(ReadOnlySpan<byte> value, int offset) =>
        DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(value[offset..]));

    private static void WriteTime(Span<byte> value, int offset, DateTimeOffset time) =>
        BinaryPrimitives.WriteInt64BigEndian(value[offset..], time.ToUnixTimeMilliseconds());

    private static int VarintLength(int value) => value < 0x80 ? 1 : value < 0x4000 ? 2 : 3;

    private static int WriteVarint(Span<byte> target, int value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            target[i++] = (byte)(value | 0x80);
            value >>= 7;
        }
        target[i++] = (byte)value;
        return i;
    }

    private static bool TryReadVarint(ReadOnlySpan<byte> source, out int value, out int read)
    {
        value = 0;
        for (read = 0; read < 3 && read < source.Length; read++)
        {
            value |= (source[read] & 0x7F) << (7 * read);
            if ((source[read] & 0x80) == 0)
            {
                read++;
                return true;
            }
        }
        return false;
    }
}
