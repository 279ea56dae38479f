using System.Globalization;
using System.Text;

namespace Gateway.Telemetry;

/// <summary>
/// Text that came from a request (user names, user agents, paths, header values), made safe for a terminal and a
/// line-based log: control characters, Unicode line separators and bidirectional overrides as <c>\u001B</c>-style
/// escapes, so nothing can end a line, move the cursor or erase what is shown (CWE-117); long values cut with a
/// marker. Used by the console log (<see cref="EscapingLoggerProvider"/>) and the command line.
/// </summary>
internal static class LogText
{
    /// <summary>Longest value shown whole, in UTF-16 characters.</summary>
    public const int MaxLength = 256;

    /// <summary><paramref name="value"/> cut to <paramref name="maxLength"/> characters (with a marker), then escaped.</summary>
    public static string Escape(string? value, int maxLength = MaxLength)
    {
        if (value is null)
        {
            return "";
        }
        value = Cut(value, maxLength);
        var first = IndexOfUnsafe(value, 0);
        if (first < 0)
        {
            return value;
        }
        var builder = new StringBuilder(value, 0, first, value.Length + 16);
        for (var i = first; i < value.Length; i++)
        {
            var c = value[i];
            if (IsUnsafe(value, i))
            {
                builder.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }
        return builder.ToString();
    }

    /// <summary>
    /// <paramref name="value"/> when at most <paramref name="maxLength"/> characters long, else its start and a marker
    /// saying how much was cut (never splitting a surrogate pair).
    /// </summary>
    public static string Cut(string value, int maxLength = MaxLength)
    {
        if (value.Length <= maxLength)
        {
            return value;
        }
        var keep = char.IsHighSurrogate(value[maxLength - 1]) ? maxLength - 1 : maxLength;
        return string.Create(CultureInfo.InvariantCulture, $"{value.AsSpan(0, keep)}...[{value.Length - keep} more chars]");
    }

    private static int IndexOfUnsafe(string value, int start)
    {
        for (var i = start; i < value.Length; i++)
        {
            if (IsUnsafe(value, i))
            {
                return i;
            }
        }
        return -1;
    }

    private static bool IsUnsafe(string value, int i)
    {
        var c = value[i];
        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= value.Length || !char.IsLowSurrogate(value[i + 1]);
        }
        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(value[i - 1]);
        }
        // C0, DEL and C1 (ESC, CR, LF, NUL, CSI...), the Unicode line and paragraph separators, and the bidi overrides
        // and isolates that reorder what a terminal shows.
        return char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');
    }
}
