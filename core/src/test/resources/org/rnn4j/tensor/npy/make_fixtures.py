"""Writes the .npy fixtures for NpyTest with real NumPy (run: /usr/bin/python3 make_fixtures.py).

The files are committed; this script documents how they were made. Written with NumPy 1.24.
"""
import io
import numpy as np
from numpy.lib import format as fmt

a23 = (np.arange(6, dtype=np.float32).reshape(2, 3) / 4 - 0.5).astype('<f4')

np.save('f4_2x3.npy', a23)
np.save('f8_scalar.npy', np.array(3.25, dtype='<f8'))
np.save('f8_1x2x2.npy', np.array([[[1.0e-300, -2.5], [np.pi, 1e300]]], dtype='<f8'))
np.save('i4_4.npy', np.array([-2147483648, -1, 0, 2147483647], dtype='<i4'))
np.save('i8_2x2.npy', np.array([[2**40, -5], [2**63 - 1, -2**63]], dtype='<i8'))
np.save('f4_0x3.npy', np.zeros((0, 3), dtype='<f4'))
np.save('u1_3.npy', np.array([0, 7, 255], dtype=np.uint8))
np.save('i1_3.npy', np.array([-128, 0, 127], dtype=np.int8))
np.save('b1_2x2.npy', np.array([[True, False], [False, True]]))
np.save('f4_1x2x1x2.npy', np.arange(4, dtype='<f4').reshape(1, 2, 1, 2))
for version in [(2, 0), (3, 0)]:
    with open('f4_2x3_v%d.npy' % version[0], 'wb') as f:
        fmt.write_array(f, a23, version=version)

# Files NpyTest must reject.
np.save('bad_fortran.npy', np.asfortranarray(a23))
np.save('bad_bigendian.npy', a23.astype('>f4'))
np.save('bad_f2.npy', a23.astype('<f2'))
np.save('bad_object.npy', np.array([1, 'a', None], dtype=object), allow_pickle=True)
np.savez('bad_npz.npy', a=a23)
import os
os.replace('bad_npz.npy.npz', 'bad_npz.npy') if os.path.exists('bad_npz.npy.npz') else None
