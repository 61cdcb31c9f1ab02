"""Media stores: keys, the local directory store, the S3 store and build_media_store."""
