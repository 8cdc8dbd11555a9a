"""Named trees stored as materialised paths: the shared base of work units and question categories."""

from treebeard.mp_tree import MP_Node


class NamedTreeNode(MP_Node):
    """A treebeard node with a ``name``: siblings in name order, a dashed label for choosers and
    listings, and "this node and every node below it" as one ``path LIKE 'prefix%'`` query.

    Abstract, so each concrete tree keeps its own table and migrations see no new base.
    Subclasses declare the ``name`` field (their own column, verbose name and length).
    """

    node_order_by = ["name"]

    class Meta:
        abstract = True
        ordering = ["path"]

    def __str__(self):
        return self.name

    @property
    def indented_name(self) -> str:
        return "— " * (self.depth - 1) + self.name

    def subtree(self):
        """This node and every node below it, in one query."""
        return type(self)._default_manager.filter(path__startswith=self.path, depth__gte=self.depth)
