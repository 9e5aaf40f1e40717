namespace RemoteWrite.Hosting.Status;

/// <summary>
/// A service's own block on the status page (the forwarder's lag and broker backlog, the relay's
/// bytes in flight): a title and rows of name and value, read when the page is rendered. Register
/// with <c>services.AddSingleton&lt;IStatusSection, …&gt;()</c>; values are HTML-encoded by the page.
/// </summary>
public interface IStatusSection
{
    string Title { get; }

    IEnumerable<(string Name, string Value)> Rows();
}
