"""Object storage for the LMS's media with the H5P prefix kept private (S3-compatible, django-storages).

H5P packages are served only by ``/h5p/<id>/v/<version>/...`` (access check, sandbox), which reads
them through the storage API. In the bucket they must not be readable by anyone else: objects
under ``h5p/`` are written with the ``private`` ACL whatever ``AWS_DEFAULT_ACL`` says, and a URL
for one (the LMS never hands one out) is always a short-lived signed one, never a public or
custom-domain (CDN) address. The bucket policy must not make ``h5p/*`` public either
(docs/h5p.md, "Storage").
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage
from storages.utils import clean_name

PRIVATE_PREFIX = "h5p/"
PRIVATE_URL_SECONDS = 300


def is_private(name: str) -> bool:
    return clean_name(name).lstrip("/").lower().startswith(PRIVATE_PREFIX)


class MediaStorage(S3Storage):
    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        if is_private(name):
            params["ACL"] = "private"
        return params

    def url(self, name, parameters=None, expire=None, http_method=None):
        if not is_private(name):
            return super().url(name, parameters=parameters, expire=expire, http_method=http_method)
        params = dict(parameters or {}, Bucket=self.bucket.name, Key=self._normalize_name(clean_name(name)))
        return self.connection.meta.client.generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=min(expire or PRIVATE_URL_SECONDS, PRIVATE_URL_SECONDS),
            HttpMethod=http_method,
        )
