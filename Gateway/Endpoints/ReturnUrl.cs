namespace Gateway.Endpoints;

/// <summary>
/// Return URLs after login: local paths only. Rejects absolute URLs, scheme-relative <c>//host</c>,
/// <c>/\host</c> (browsers read '\' as '/'), control characters, and the same tricks percent-encoded.
/// </summary>
internal static class ReturnUrl
{
    public const int MaxLength = 2048;

    public static bool IsLocal(string? url)
    {
        if (string.IsNullOrEmpty(url) || url.Length > MaxLength || url[0] != '/')
        {
            return false;
        }
        if (url.Any(c => char.IsControl(c) || c == '\\' || char.IsWhiteSpace(c)))
        {
            return false;
        }
        if (url.Length > 1 && url[1] == '/')
        {
            return false;
        }
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(url);
        }
        catch (UriFormatException)
        {
            return false;
        }
        // Encoded variants (%2F%2F, %5C, %09...) and double encoding: judge the decoded text by the same rules.
        return decoded == url || IsLocal(decoded);
    }

    /// <summary>The URL to come back to after login: <paramref name="url"/> when local, else "/".</summary>
    public static string OrRoot(string? url) => IsLocal(url) ? url! : "/";

    /// <summary>The current request's path and query, for the login page to return to.</summary>
    public static string FromRequest(HttpRequest request) => OrRoot(request.PathBase + request.Path + request.QueryString);
}
