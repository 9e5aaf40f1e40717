using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace RemoteWrite.Deploy.Tests.Infrastructure;

/// <summary>
/// YAML as plain objects (maps with string keys, lists, strings), merge keys (&lt;&lt;) resolved as
/// docker-compose does, several documents per stream as kubectl kustomize writes them.
/// </summary>
public static class Yaml
{
    private static readonly IDeserializer Deserializer = new DeserializerBuilder().Build();

    public static List<object?> Documents(string text)
    {
        var parser = new MergingParser(new Parser(new StringReader(text)));
        var documents = new List<object?>();
        parser.Consume<StreamStart>();
        while (parser.Accept<DocumentStart>(out _))
        {
            var document = Deserializer.Deserialize<object?>(parser);
            if (document is not null)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    public static object? Load(string text) => Documents(text).Single();

    public static object? File(params string[] pathFromRoot) =>
        Load(System.IO.File.ReadAllText(Path.Combine([RepoPaths.Root, .. pathFromRoot])));

    /// <summary>The value at a path of map keys and list indexes (as strings), or null.</summary>
    public static object? At(object? node, params string[] path)
    {
        foreach (var key in path)
        {
            node = node switch
            {
                Dictionary<object, object?> map => map.TryGetValue(key, out var value) ? value : null,
                List<object?> list when int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < list.Count => list[i],
                _ => null,
            };
        }

        return node;
    }

    public static string? Str(object? node, params string[] path) => At(node, path) as string;

    public static List<object?> List(object? node, params string[] path) => At(node, path) as List<object?> ?? [];

    public static Dictionary<object, object?> Map(object? node, params string[] path) => At(node, path) as Dictionary<object, object?> ?? [];

    /// <summary>Objects of one kind (and name) in rendered manifests.</summary>
    public static IEnumerable<object?> OfKind(IEnumerable<object?> documents, string kind, string? name = null) =>
        documents.Where(d => Str(d, "kind") == kind && (name is null || Str(d, "metadata", "name") == name));

    /// <summary>Re-serialized, for comparing two trees whole.</summary>
    public static string Canonical(object? node) => new SerializerBuilder().Build().Serialize(node);
}
