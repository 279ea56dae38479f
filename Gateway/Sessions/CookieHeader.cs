using System.Text;
using Microsoft.Extensions.Primitives;

namespace Gateway.Sessions;

/// <summary>
/// Reads and filters raw <c>Cookie</c> headers (RFC 6265 <c>name=value; name=value</c>), across every header
/// line. Used both to find the session cookie (counting duplicates, which ASP.NET's parser hides) and to strip
/// it before proxying, so both sides agree on what a cookie pair is. Both run on every request: they work on
/// spans and allocate only what they return (the value found, unless read in place; a header only when a pair was
/// dropped and another kept).
/// </summary>
internal static class CookieHeader
{
    /// <summary>How many pairs are named exactly <paramref name="name"/>, and the first one's value.</summary>
    public static (int Count, string? Value) Find(StringValues headers, string name)
    {
        var count = Find(headers, name, out var value);
        return (count, count > 0 ? value.ToString() : null);
    }

    /// <summary>How many pairs are named exactly <paramref name="name"/>; <paramref name="value"/> is the first one's value, in place.</summary>
    public static int Find(StringValues headers, string name, out ReadOnlySpan<char> value)
    {
        var count = 0;
        value = default;
        foreach (var header in headers)
        {
            if (string.IsNullOrEmpty(header))
            {
                continue;
            }
            var rest = header.AsSpan();
            while (true)
            {
                var semi = rest.IndexOf(';');
                var pair = (semi < 0 ? rest : rest[..semi]).Trim();
                var eq = pair.IndexOf('=');
                if (pair.Length > 0 && (eq > 0 ? pair[..eq].TrimEnd() : pair).SequenceEqual(name))
                {
                    if (count++ == 0)
                    {
                        value = eq > 0 ? pair[(eq + 1)..].TrimStart().Trim('"') : default;
                    }
                }
                if (semi < 0)
                {
                    break;
                }
                rest = rest[(semi + 1)..];
            }
        }
        return count;
    }

    /// <summary>The header without the pairs <paramref name="drop"/> selects; null when nothing is left.</summary>
    public static string? Remove(string header, Func<ReadOnlySpan<char>, bool> drop) =>
        Remove(header, drop, static (name, drop) => drop(name));

    /// <summary>
    /// The header without the pairs <paramref name="drop"/> selects (given each pair's name and
    /// <paramref name="state"/>); null when nothing is left; the header itself when nothing was dropped.
    /// </summary>
    public static string? Remove<TState>(string header, TState state, Func<ReadOnlySpan<char>, TState, bool> drop)
    {
        // Built only once a pair is dropped and another kept: dropping the only cookie allocates nothing.
        StringBuilder? kept = null;
        var dropped = false;
        var rest = header.AsSpan();
        while (true)
        {
            var semi = rest.IndexOf(';');
            var pair = (semi < 0 ? rest : rest[..semi]).Trim();
            if (pair.Length > 0)
            {
                var eq = pair.IndexOf('=');
                if (drop(eq < 0 ? pair : pair[..eq].TrimEnd(), state))
                {
                    if (!dropped)
                    {
                        // The first drop: the pairs kept so far are rebuilt from the start.
                        dropped = true;
                        kept = KeptBefore(header, header.Length - rest.Length);
                    }
                }
                else if (dropped)
                {
                    kept = kept is null ? new StringBuilder(header.Length) : kept.Append("; ");
                    kept.Append(pair);
                }
            }
            if (semi < 0)
            {
                break;
            }
            rest = rest[(semi + 1)..];
        }
        return !dropped ? header : kept?.ToString();
    }

    // The non-empty pairs of header[..end], trimmed and joined with "; " (none of them is dropped); null when none.
    private static StringBuilder? KeptBefore(string header, int end)
    {
        StringBuilder? kept = null;
        foreach (var range in header.AsSpan(0, end).Split(';'))
        {
            var pair = header.AsSpan(0, end)[range].Trim();
            if (pair.Length > 0)
            {
                kept = kept is null ? new StringBuilder(header.Length) : kept.Append("; ");
                kept.Append(pair);
            }
        }
        return kept;
    }
}
