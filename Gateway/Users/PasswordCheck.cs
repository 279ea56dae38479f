namespace Gateway.Users;

/// <summary>Outcome of a password check; the failure class is for logs and audit only, never for the client.</summary>
internal readonly record struct PasswordCheck(UserEntry? User, PasswordFailure Failure)
{
    /// <summary>The failure's class as the login metrics name it, or null for a success.</summary>
    public string? FailureClass => Failure switch
    {
        PasswordFailure.None => null,
        PasswordFailure.UnknownUser => "unknown_user",
        PasswordFailure.WrongPassword => "wrong_password",
        PasswordFailure.TooLong => "password_too_long",
        PasswordFailure.Overloaded => "overloaded",
        _ => "other",
    };
}
