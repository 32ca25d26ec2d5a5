"""The architecture record: one exact description of a model, read from its config.json.

:mod:`.record` builds a :class:`~taf.model.record.ModelRecord` from the config reader
(:mod:`taf.modelconfig`) — layers by kind, heads, MoE layout, tying, θ, training length,
the tensor inventory and its counts — and answers the KV-cache questions every recipe
asks. :mod:`.catalog` holds the published models the record can be built for by id.
"""
