using System.Buffers;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Gateway.Authentication;

/// <summary>
/// Strict RFC 7617 parsing of <c>Authorization: Basic</c>: scheme case-insensitive, canonical padded base64
/// with no whitespace inside, strict UTF-8, split at the first colon, no control characters, bounded size.
/// </summary>
internal static class BasicCredentials
{
    /// <summary>Longest accepted token68 (about 3 KB of decoded credentials).</summary>
    public const int MaxEncodedLength = 4096;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly SearchValues<char> Base64Alphabet =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/");

    public static BasicParseResult Parse(StringValues authorization)
    {
        if (authorization.Count == 0)
        {
            return BasicParseResult.Absent;
        }
        if (authorization.Count > 1)
        {
            return authorization.Any(IsBasicScheme) ? BasicParseResult.Malformed("more than one Authorization header") : BasicParseResult.OtherScheme;
        }
        return Parse(authorization[0] ?? "");
    }

    public static BasicParseResult Parse(string header)
    {
        if (!IsBasicScheme(header))
        {
            return header.Trim().Length == 0 ? BasicParseResult.Absent : BasicParseResult.OtherScheme;
        }
        var token = header.AsSpan(5).Trim(' ');
        if (token.Length > MaxEncodedLength)
        {
            return new BasicParseResult(BasicParseStatus.TooLarge, "", "", "Basic credentials are too large");
        }
        if (token.Length == 0 || !IsCanonicalBase64(token))
        {
            return BasicParseResult.Malformed("Basic credentials are not valid base64");
        }

        // Decoded in pooled buffers that are wiped after, so only the two strings returned hold the password.
        var size = token.Length / 4 * 3;
        var bytes = ArrayPool<byte>.Shared.Rent(size);
        var chars = ArrayPool<char>.Shared.Rent(size);
        try
        {
            if (!Convert.TryFromBase64Chars(token, bytes.AsSpan(0, size), out var length))
            {
                return BasicParseResult.Malformed("Basic credentials are not valid base64");
            }
            int count;
            try
            {
                // UTF-8 never decodes to more UTF-16 units than it has bytes.
                count = StrictUtf8.GetChars(bytes.AsSpan(0, length), chars);
            }
            catch (DecoderFallbackException)
            {
                return BasicParseResult.Malformed("Basic credentials are not valid UTF-8");
            }
            return Split(chars.AsSpan(0, count));
        }
        finally
        {
            // Whole spans: a decoder that gave up may have written part of its output.
            bytes.AsSpan(0, size).Clear();
            chars.AsSpan(0, size).Clear();
            ArrayPool<byte>.Shared.Return(bytes);
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    private static BasicParseResult Split(ReadOnlySpan<char> decoded)
    {
        var colon = decoded.IndexOf(':');
        if (colon < 0)
        {
            return BasicParseResult.Malformed("Basic credentials have no ':' between user and password");
        }
        if (colon == 0)
        {
            return BasicParseResult.Malformed("Basic credentials have an empty user name");
        }
        // The C0 and C1 ranges: what char.IsControl accepts.
        if (decoded.ContainsAnyInRange('\u0000', '\u001F') || decoded.ContainsAnyInRange('\u007F', '\u009F'))
        {
            return BasicParseResult.Malformed("Basic credentials contain control characters");
        }
        return new BasicParseResult(BasicParseStatus.Ok, new string(decoded[..colon]), new string(decoded[(colon + 1)..]), null);
    }

    private static bool IsBasicScheme(string? header) =>
        header is not null && header.Length >= 5 && header.AsSpan(0, 5).Equals("Basic", StringComparison.OrdinalIgnoreCase) &&
        (header.Length == 5 || header[5] == ' ');

    // Padded, only the alphabet, '=' only at the end: Convert alone would also accept whitespace inside.
    private static bool IsCanonicalBase64(ReadOnlySpan<char> token)
    {
        if (token.Length % 4 != 0)
        {
            return false;
        }
        var body = token.TrimEnd('=');
        var padding = token.Length - body.Length;
        if (padding > 2 || body.Length == 0 || body.ContainsAnyExcept(Base64Alphabet))
        {
            return false;
        }
        // With padding the last character has unused low bits (4 for "==", 2 for "="): they must be zero, so
        // "QR==" is not accepted as another spelling of "QQ==".
        var unusedMask = padding == 2 ? 0b1111 : padding == 1 ? 0b11 : 0;
        return (Sessions.Base64Digit.Value(body[^1]) & unusedMask) == 0;
    }

}

/// <summary>What the Authorization header held.</summary>
internal enum BasicParseStatus
{
    Absent,
    OtherScheme,
    Ok,
    Malformed,
    TooLarge,
}

/// <summary>Parse outcome; <see cref="Reason"/> is a short client-safe explanation for failures.</summary>
internal readonly record struct BasicParseResult(BasicParseStatus Status, string User, string Password, string? Reason)
{
    public static BasicParseResult Absent => new(BasicParseStatus.Absent, "", "", null);

    public static BasicParseResult OtherScheme => new(BasicParseStatus.OtherScheme, "", "", null);

    public static BasicParseResult Malformed(string reason) => new(BasicParseStatus.Malformed, "", "", reason);
}
