-- Keep embeddings inline and uncompressed in the row (a 768-d vector is ~3 KB, over the TOAST threshold;
-- hashing vectors are sparse enough to compress). An exact scan then reads plain heap pages instead of one
-- TOAST fetch or decompression per chunk: ~3-5x faster below the HNSW threshold. The text columns move out
-- of line instead. Applies to rows written from now on.
ALTER TABLE "chunks" ALTER COLUMN "embedding" SET STORAGE PLAIN;
