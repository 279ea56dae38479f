namespace Gateway.Configuration;

/// <summary>
/// The one rule for "same header" used by the identity-header defences: many backends (CGI, WSGI, PHP, some
/// nginx set-ups) fold case and treat '_' and '.' like '-', so <c>X_Auth.user</c> must count as <c>X-Auth-User</c>.
/// </summary>
internal static class HeaderNames
{
    public static string Normalize(string name) =>
        string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = c is '_' or '.' ? '-' : char.ToLowerInvariant(c);
            }
        });
}
