using System.Buffers;
using System.Text.Unicode;

namespace Gateway.Security;

/// <summary>
/// Judges a request path as the client sent it (the raw target, before any decoding or dot-segment removal) and
/// refuses the forms that two HTTP servers may read differently, so that a path cannot match one route here and
/// mean another path at the backend (Tomcat's <c>..;</c>, IIS's <c>\</c>, a backend that decodes twice):
/// dot segments raw or encoded, also with <c>;</c> parameters or across an encoded slash; raw or encoded
/// backslashes; encoded control characters; escapes that decode to another escape of one of these; malformed
/// escapes and invalid UTF-8. An encoded slash (<c>%2F</c>) is reported apart, since a route may accept it
/// (<see cref="EncodedSlashesMetadata"/>). The same rule as Envoy's normalisation with
/// <c>path_with_escaped_slashes_action: REJECT_REQUEST</c>.
/// </summary>
internal static class PathSafety
{
    /// <summary>Route metadata that lets a route receive <c>%2F</c> (value <c>allow</c>).</summary>
    public const string EncodedSlashesMetadata = "Gateway.EncodedSlashes";

    /// <summary>Reason given for an encoded slash on a route that does not accept it.</summary>
    public const string EncodedSlashRefusal = "encoded slash in path";

    // Anything that needs the slow look: escapes, backslashes, ';' and control characters. Dot segments need "/.".
    private static readonly SearchValues<char> Suspicious = SearchValues.Create(
        "%\\;\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f" +
        "\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f");

    /// <summary>True when route metadata opts the route into encoded slashes.</summary>
    public static bool AllowsEncodedSlashes(IReadOnlyDictionary<string, string>? metadata) =>
        metadata?.GetValueOrDefault(EncodedSlashesMetadata) is { } value && string.Equals(value, "allow", StringComparison.OrdinalIgnoreCase);

    /// <summary>The path part of a raw request target (origin form <c>/p?q</c> or absolute form <c>http://h/p?q</c>); empty for <c>*</c>.</summary>
    public static ReadOnlySpan<char> RawPath(ReadOnlySpan<char> target)
    {
        if (target.IsEmpty || target[0] != '/')
        {
            var scheme = target.IndexOf("://");
            if (scheme < 0)
            {
                return [];
            }
            target = target[(scheme + 3)..];
            var start = target.IndexOfAny('/', '?');
            target = start < 0 || target[start] == '?' ? "/" : target[start..];
        }
        var query = target.IndexOfAny('?', '#');
        return query < 0 ? target : target[..query];
    }

    /// <summary>
    /// Null when <paramref name="rawPath"/> is unambiguous (apart from encoded slashes, reported in
    /// <paramref name="encodedSlash"/>), else a short reason for the 400.
    /// </summary>
    public static string? Refusal(ReadOnlySpan<char> rawPath, out bool encodedSlash)
    {
        encodedSlash = false;
        if (rawPath.IndexOfAny(Suspicious) < 0 && !rawPath.StartsWith('.') && rawPath.IndexOf("/.") < 0)
        {
            return null;
        }
        byte[]? rented = null;
        var buffer = rawPath.Length <= 512 ? stackalloc byte[512] : (rented = ArrayPool<byte>.Shared.Rent(rawPath.Length));
        try
        {
            while (true)
            {
                var end = rawPath.IndexOf('/');
                var segment = end < 0 ? rawPath : rawPath[..end];
                if (segment.Length > 0)
                {
                    if (Segment(segment, buffer, ref encodedSlash) is { } refusal)
                    {
                        return refusal;
                    }
                }
                if (end < 0)
                {
                    return null;
                }
                rawPath = rawPath[(end + 1)..];
            }
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    private static string? Segment(ReadOnlySpan<char> segment, Span<byte> buffer, ref bool encodedSlash)
    {
        var length = 0;
        for (var i = 0; i < segment.Length; i++)
        {
            var c = segment[i];
            if (c == '\\')
            {
                return "backslash in path";
            }
            if (char.IsControl(c))
            {
                return "control character in path";
            }
            if (c != '%')
            {
                if (c > 0x7f)
                {
                    return "non-ASCII character in path";
                }
                buffer[length++] = (byte)c;
                continue;
            }
            if (i + 2 >= segment.Length || Decodes(segment[i + 1], segment[i + 2]) is not { } b)
            {
                return "malformed percent-encoding in path";
            }
            i += 2;
            switch (b)
            {
                case (byte)'\\':
                    return "encoded backslash in path";
                case < 0x20 or 0x7f:
                    return "encoded control character in path";
                case (byte)'/':
                    encodedSlash = true;
                    break;
            }
            buffer[length++] = b;
        }
        var decoded = buffer[..length];
        if (!Utf8.IsValid(decoded))
        {
            return "invalid UTF-8 in path";
        }
        // Judged on the decoded text, so that %25%32%65 counts like %252e: a backend that decodes twice reads '.'.
        for (var at = 0; at + 2 < decoded.Length; at++)
        {
            if (decoded[at] == '%' && Decodes((char)decoded[at + 1], (char)decoded[at + 2]) is
                    (byte)'.' or (byte)'/' or (byte)'\\' or (byte)';' or (byte)'%' or < 0x20 or 0x7f)
            {
                return "double percent-encoding in path";
            }
        }
        // Each piece between encoded slashes, up to its ';' parameters, must not be "." or "..".
        foreach (var range in decoded.Split((byte)'/'))
        {
            var piece = decoded[range];
            var semicolon = piece.IndexOf((byte)';');
            var name = semicolon < 0 ? piece : piece[..semicolon];
            if (name.SequenceEqual("."u8) || name.SequenceEqual(".."u8))
            {
                return semicolon < 0 ? "dot segment in path" : "parameters after a dot segment in path";
            }
        }
        return null;
    }

    /// <summary>The byte two hex digits stand for, or null.</summary>
    private static byte? Decodes(char high, char low) =>
        char.IsAsciiHexDigit(high) && char.IsAsciiHexDigit(low) ? (byte)((HexValue(high) << 4) | HexValue(low)) : null;

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
