"""Story clustering: articles reporting the same event form one story."""

from steppewatch.cluster.stories import ArticleSignature, cluster_stories

__all__ = ["ArticleSignature", "cluster_stories"]
