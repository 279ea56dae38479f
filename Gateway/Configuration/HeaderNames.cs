namespace Gateway.Configuration;

/// <summary>
/// The one rule for "same header" used by the identity-header defences: many backends (CGI, WSGI, PHP, some
/// nginx set-ups) fold case and treat '_' and '.' like '-', so <c>X_Auth.user</c> must count as <c>X-Auth-User</c>.
/// </summary>
internal static class HeaderNames
{
    /// <summary>Equal when <see cref="Normalize"/> gives equal names, without building them (used on every proxied header).</summary>
    public static IEqualityComparer<string> Comparer { get; } = new FoldingComparer();

    public static string Normalize(string name) =>
        string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                span[i] = Fold(source[i]);
            }
        });

    private static char Fold(char c) => c is '_' or '.' ? '-' : char.ToLowerInvariant(c);

    private sealed class FoldingComparer : IEqualityComparer<string>
    {
        public bool Equals(string? x, string? y)
        {
            if (ReferenceEquals(x, y))
            {
                return true;
            }
            if (x is null || y is null || x.Length != y.Length)
            {
                return false;
            }
            for (var i = 0; i < x.Length; i++)
            {
                if (Fold(x[i]) != Fold(y[i]))
                {
                    return false;
                }
            }
            return true;
        }

        // The sets it serves hold a handful of configured names: a simple hash of the folded characters will do.
        public int GetHashCode(string name)
        {
            var hash = unchecked((int)2166136261);
            foreach (var c in name)
            {
                hash = unchecked((hash ^ Fold(c)) * 16777619);
            }
            return hash;
        }
    }
}
