using System.Collections.Concurrent;
using Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Gateway.Security;

/// <summary>
/// What one password check of a user from an address counts against: the user (from this address, or from anywhere:
/// <c>Gateway:Login:LockoutScope</c>) and the address across user names, each with its rule from <c>Gateway:Login</c>.
/// The subjects of recent pairs are kept: their ids are SHA-256 hashes, and a cookie-less Basic client asks for the
/// same ones on every request.
/// </summary>
internal sealed class LoginSubjects(IOptionsMonitor<GatewayOptions> options)
{
    /// <summary>Most (user, address) pairs whose subjects are kept; past it the map starts over.</summary>
    private const int MaxKeptSubjects = 10_000;

    /// <summary>Longest user name whose subjects are kept.</summary>
    private const int MaxKeptUserLength = 128;

    private readonly ConcurrentDictionary<(string User, string Ip), KeptSubjects> _subjects = new();

    /// <summary>The subjects of a check by <paramref name="user"/> from <paramref name="ip"/>, under the current settings.</summary>
    public (ThrottleSubject Subject, ThrottleRule Rule)[] For(string user, string ip)
    {
        var login = options.CurrentValue.Login;
        if (_subjects.TryGetValue((user, ip), out var kept) && ReferenceEquals(kept.Login, login))
        {
            return kept.Subjects;
        }
        var subjects = Subjects(login, user, ClientAddress.Subject(ip));
        // Long names are not kept: a guesser must not fill memory with them (real user names are short).
        if (user.Length <= MaxKeptUserLength)
        {
            if (_subjects.Count >= MaxKeptSubjects)
            {
                _subjects.Clear();
            }
            _subjects[(user, ip)] = new KeptSubjects(login, subjects);
        }
        return subjects;
    }

    private static (ThrottleSubject Subject, ThrottleRule Rule)[] Subjects(LoginOptions login, string user, string address)
    {
        var subjects = new List<(ThrottleSubject Subject, ThrottleRule Rule)>(2);
        if (login.MaxFailures > 0)
        {
            var scoped = login.LockoutScope == LockoutScope.User ? new ThrottleSubject("login", user, null) : new ThrottleSubject("login", user, address);
            subjects.Add((scoped, new ThrottleRule(login.MaxFailures, login.FailureWindow, login.BanTime)));
        }
        if (login.MaxFailuresPerIp > 0)
        {
            subjects.Add((new ThrottleSubject("login-ip", null, address), new ThrottleRule(login.MaxFailuresPerIp, login.FailureWindow, login.BanTime)));
        }
        return [.. subjects];
    }

    /// <summary>The subjects of one (user, address) pair, under the login settings they were made with.</summary>
    private sealed record KeptSubjects(LoginOptions Login, (ThrottleSubject Subject, ThrottleRule Rule)[] Subjects);
}
