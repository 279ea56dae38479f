namespace Gateway.Users;

/// <summary>What a users-file reload changed for existing users: whose sessions must end, and why.</summary>
internal static class UserChanges
{
    /// <summary>Users of <paramref name="before"/> that are gone (<c>user_removed</c>) or have a new password (<c>password_changed</c>).</summary>
    public static List<(string User, string Reason)> Ended(IReadOnlyDictionary<string, UserEntry> before, IReadOnlyDictionary<string, UserEntry> after)
    {
        var ended = new List<(string, string)>();
        foreach (var (name, entry) in before)
        {
            if (!after.TryGetValue(name, out var now))
            {
                ended.Add((name, "user_removed"));
            }
            else if (now.Stamp != entry.Stamp)
            {
                ended.Add((name, "password_changed"));
            }
        }
        return ended;
    }
}
