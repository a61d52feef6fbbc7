import pyarrow as pa
import pytest

from transforms.core.schema import TABLE_SCHEMAS, column_docs, data_dictionary


@pytest.mark.parametrize("name", sorted(TABLE_SCHEMAS))
def test_every_column_is_documented(name):
    docs = column_docs(TABLE_SCHEMAS[name])
    assert all(docs.values()), [c for c, d in docs.items() if not d]


def test_data_dictionary_lists_every_column():
    schema = pa.schema([pa.field("a", pa.int32(), metadata={"doc": "the a"})])
    assert data_dictionary(schema).splitlines()[-1] == "| `a` | `int32` | yes | the a |"
