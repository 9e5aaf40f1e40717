namespace RemoteWrite.Core.Azure.Check;

/// <summary>What the <c>check</c> command found wrong with one endpoint, in the order it is tried.</summary>
public enum CheckProblem
{
    None,
    Url,
    Network,
    Tls,
    Identity,
    Token,
    Role,
    BodyLimit,
    Service,
}

/// <summary>One line of the <c>check</c> command's output: never holds the token.</summary>
public sealed record CheckVerdict(string Destination, string Endpoint, CheckProblem Problem, string Detail)
{
    public bool Passed => Problem == CheckProblem.None;

    public static string Name(CheckProblem problem) => problem switch
    {
        CheckProblem.None => "OK",
        CheckProblem.Url => "URL",
        CheckProblem.Network => "DNS/network",
        CheckProblem.Tls => "TLS",
        CheckProblem.Identity => "identity",
        CheckProblem.Token => "token",
        CheckProblem.Role => "role",
        CheckProblem.BodyLimit => "body limit",
        _ => "Azure",
    };

    public override string ToString() =>
        Passed ? $"OK    {Destination} {Endpoint}: {Detail}" : $"FAIL  {Destination} {Endpoint}: {Name(Problem)}: {Detail}";
}

/// <summary>A failure whose kind the thrower knows (e.g. the forwarder's token service gave no token).</summary>
public sealed class CheckFailedException(CheckProblem problem, string message) : Exception(message)
{
    public CheckProblem Problem { get; } = problem;
}
