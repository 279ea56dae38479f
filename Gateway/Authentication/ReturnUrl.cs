using System.Buffers;
using System.Text;

namespace Gateway.Authentication;

/// <summary>
/// Return URLs after login: local paths only. Rejects absolute URLs, scheme-relative <c>//host</c>,
/// <c>/\host</c> (browsers read '\' as '/'), control characters, and the same tricks percent-encoded. What it
/// accepts it hands back percent-encoded where a <c>Location</c> header needs it (non-ASCII, spaces, quotes), as
/// a browser would send it: Kestrel refuses any other byte in a response header.
/// </summary>
internal static class ReturnUrl
{
    public const int MaxLength = 2048;

    public static bool IsLocal(string? url)
    {
        // A space inside is kept (encoded as %20, as a browser would); any other white space, or one at an end that a
        // browser would trim, is refused.
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/' || url[^1] == ' ' ||
            url.Any(c => (char.IsWhiteSpace(c) && c != ' ') || c == '\\'))
        {
            return false;
        }
        // Judge the text as a browser might read it after one or two rounds of decoding (%2F%2F, %5C, %09,
        // %252F...): still a path, no '\\', no control character, not scheme-relative. Spaces are fine (%20).
        var current = url;
        for (var round = 0; round < 3; round++)
        {
            if (current.Length > 1 && current[1] is '/' or '\\' || current.Any(c => char.IsControl(c) || c == '\\'))
            {
                return false;
            }
            string decoded;
            try
            {
                decoded = Uri.UnescapeDataString(current);
            }
            catch (UriFormatException)
            {
                return false;
            }
            if (decoded == current)
            {
                return true;
            }
            current = decoded;
        }
        return false;
    }

    /// <summary>
    /// The URL to come back to after login: <paramref name="url"/> when local, percent-encoded where a header needs
    /// it (so always ASCII with no control character or space), else "/".
    /// </summary>
    public static string OrRoot(string? url) => IsLocal(url) && Encode(url!) is { Length: <= MaxLength } encoded ? encoded : "/";

    /// <summary>
    /// As <see cref="OrRoot(string?)"/>, also keeping an absolute http(s) URL whose host is one of
    /// <paramref name="allowedHosts"/> (<c>Gateway:ForwardAuth:AllowedHosts</c>): forward auth sends the browser to
    /// log in from another host and back.
    /// </summary>
    public static string OrRoot(string? url, IReadOnlyCollection<string> allowedHosts) =>
        !IsLocal(url) && allowedHosts.Count > 0 && IsAllowedAbsolute(url, allowedHosts) ? url! : OrRoot(url);

    /// <summary>An absolute http(s) URL to one of <paramref name="allowedHosts"/>, without user info, '\', spaces or control characters.</summary>
    public static bool IsAllowedAbsolute(string? url, IReadOnlyCollection<string> allowedHosts) =>
        !string.IsNullOrEmpty(url) && url.Length <= MaxLength && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\' || c > '~') &&
        (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) &&
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0 && !url.AsSpan(url.IndexOf("//", StringComparison.Ordinal) + 2).StartsWith("/") &&
        IsLocal(uri.PathAndQuery) && Http.HostPattern.MatchesAny(allowedHosts, uri.IdnHost, uri.Port);

    /// <summary>The current request's path and query, for the login page to return to.</summary>
    public static string FromRequest(HttpRequest request) => OrRoot(request.PathBase + request.Path + request.QueryString);

    // Escapes, as UTF-8, what RFC 3986 does not allow in a URI; reserved characters and existing escapes are kept, so
    // an encoded URL encodes to itself. Null for text that is not valid UTF-16 (a lone surrogate).
    private static string? Encode(string url)
    {
        StringBuilder? builder = null;
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < url.Length;)
        {
            if (Rune.DecodeFromUtf16(url.AsSpan(i), out var rune, out var used) != OperationStatus.Done)
            {
                return null;
            }
            if (rune.Value is > 0x20 and < 0x7F && !"\"<>^`{|}".Contains((char)rune.Value))
            {
                builder?.Append(url, i, used);
            }
            else
            {
                builder ??= new StringBuilder(url, 0, i, url.Length + 16);
                var length = rune.EncodeToUtf8(utf8);
                foreach (var b in utf8[..length])
                {
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }
            i += used;
        }
        return builder?.ToString() ?? url;
    }
}
