namespace Gateway.Authentication;

/// <summary>
/// Return URLs after login: local paths only. Rejects absolute URLs, scheme-relative <c>//host</c>,
/// <c>/\host</c> (browsers read '\' as '/'), control characters, and the same tricks percent-encoded.
/// </summary>
internal static class ReturnUrl
{
    public const int MaxLength = 2048;

    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/' || url.Any(c => char.IsWhiteSpace(c) || c == '\\'))
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

    /// <summary>The URL to come back to after login: <paramref name="url"/> when local, else "/".</summary>
    public static string OrRoot(string? url) => IsLocal(url) ? url! : "/";

    /// <summary>
    /// As <see cref="OrRoot(string?)"/>, also keeping an absolute http(s) URL whose host is one of
    /// <paramref name="allowedHosts"/> (<c>Gateway:ForwardAuth:AllowedHosts</c>): forward auth sends the browser to
    /// log in from another host and back.
    /// </summary>
    public static string OrRoot(string? url, IReadOnlyCollection<string> allowedHosts) =>
        IsLocal(url) || (allowedHosts.Count > 0 && IsAllowedAbsolute(url, allowedHosts)) ? url! : "/";

    /// <summary>An absolute http(s) URL to one of <paramref name="allowedHosts"/>, without user info, '\', spaces or control characters.</summary>
    public static bool IsAllowedAbsolute(string? url, IReadOnlyCollection<string> allowedHosts) =>
        !string.IsNullOrEmpty(url) && url.Length <= MaxLength && !url.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == '\\' || c > '~') &&
        (url.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("http://", StringComparison.OrdinalIgnoreCase)) &&
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.UserInfo.Length == 0 && !url.AsSpan(url.IndexOf("//", StringComparison.Ordinal) + 2).StartsWith("/") &&
        IsLocal(uri.PathAndQuery) && Http.HostPattern.MatchesAny(allowedHosts, uri.IdnHost, uri.Port);

    /// <summary>The current request's path and query, for the login page to return to.</summary>
    public static string FromRequest(HttpRequest request) => OrRoot(request.PathBase + request.Path + request.QueryString);
}
