namespace Gateway.Configuration;

/// <summary>What failed logins for a user name are counted against (<c>Gateway:Login:LockoutScope</c>).</summary>
public enum LockoutScope
{
    /// <summary>The user name from one client address: a flood from elsewhere cannot lock the user out everywhere.</summary>
    UserAndIp,

    /// <summary>The user name from any address: stops distributed guessing, but anyone can lock the user out.</summary>
    User,
}
