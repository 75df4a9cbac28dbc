namespace Pipeline.Workers.Cli;

/// <summary>What `pipeline` returns, so scripts can tell "it failed" from "you asked wrongly".</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The thing asked about failed: a workflow's result was a failure, a wait timed out, a service crashed.</summary>
    public const int Failed = 1;

    /// <summary>A usage or input error: bad flag, bad JSON, unknown workflow id, unreachable store.</summary>
    public const int Usage = 2;
}
